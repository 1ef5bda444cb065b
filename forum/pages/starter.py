"""The first text of each standing page, so a new site never links to a missing page.

The data migration and `seed_demo` both create the pages that are missing from here; neither
touches a page that exists, so what editors write in the admin is never overwritten.
Editors are expected to make the text their own: the addresses are the demo magazine's.
"""

from forum.core.html import render_markdown

ABOUT = """\
Frame & Grain is an independent magazine about photography: the cameras and lenses we
carry, the film we still load by hand, the darkrooms in spare bathrooms and the people
who make pictures with all of it.

## Who we are

There is no company behind the magazine. It is written, edited and photographed by a
few dozen volunteers — a retired lab technician, two secondary-school teachers, a ferry
engineer, several students and a handful of working photographers who write for us in
their evenings. Nobody is paid, and nobody is paid to say nice things about a camera.

## What we publish

- **Reviews** of cameras and lenses we have bought or borrowed and used for at least a
  month, old and new.
- **Technique**: exposure, developing, printing, scanning, and the habits that help.
- **Community**: reader portfolios, club news and long interviews with people whose work
  we admire.

Three times a week the [newsletter](/newsletter/) collects what is new.

## How we are paid for

Readers pay for the servers. There are no ads, no sponsored posts and no trackers, and
there never will be. If the magazine is worth something to you, you can
[support it](/support/) with a one-off or monthly donation.

## Write for us

We read every pitch. Tell us in a paragraph what you would like to write and why you are
the one to write it, and send it to the address on our [contact page](/contact/).
"""

CONTACT = """\
We are volunteers, so answers can take a few days, but every message is read by a
person.

## The editors

For pitches, corrections, questions about an article or anything else, write to
<editors@frameandgrain.test>. Please put the article's title in the subject line when
you write about one.

## Comments and moderation

If a comment of yours is waiting longer than you expected, or you think a moderator got
it wrong, write to <moderators@frameandgrain.test> with the address of the article. To
point out a comment that breaks our [comment policy](/comment-policy/), use the
**Report** link under the comment itself: it reaches the moderators fastest.

## Your data

To see, correct or delete what we hold about you, write to
<privacy@frameandgrain.test>. Our [privacy page](/privacy/) says what that is.

## Donations

Questions about a donation or a monthly contribution go to
<support@frameandgrain.test>. We never ask for card details by email.
"""

COMMENT_POLICY = """\
The discussions under our articles are a large part of what makes Frame & Grain worth
reading. These few rules keep them that way.

## The rules

1. **Be kind.** Argue with the idea, never with the person. No insults, no
   name-calling, no mocking someone's gear, pictures or experience.
2. **Stay on topic.** Talk about the article and what readers have said about it. Take
   unrelated questions to a thread where they belong.
3. **No advertising.** No shop links, affiliate links, sales posts or promotion of your
   own services. A link to your own photographs is welcome when it adds to the
   conversation.
4. **No spam and no impersonation.** Post under one name, and do not pretend to be
   someone else — including the magazine's authors.
5. **Respect other people's work and privacy.** Do not post someone else's pictures or
   personal details without their permission.

## How moderation works

A volunteer moderator reads the comments every day. **Your first comment is held** until
a moderator has read it; once one of your comments has been approved, later ones appear
at once. Comments with several links, or with words that often come with spam, may also
wait for a moderator, and obvious spam is kept off the site.

Moderators may hold or remove a comment that breaks these rules. Someone who keeps
breaking them may be stopped from commenting, for a while or for good.
We do not remove comments because they disagree with us.

## Reporting a comment

Every comment has a **Report** link. Tell us briefly what is wrong; only the moderators
see reports. A comment that several readers report is hidden until a moderator has
looked at it.

## Editing and deleting

You can edit or delete your own comment for a short while after posting it. After that,
or if you posted as a guest from another browser, write to us from the
[contact page](/contact/) and we will take it down.
"""

PRIVACY = """\
We collect as little about readers as we can, keep it only as long as it is useful, and
never sell or share it. There are no ads and no trackers on this site, and your browser
makes no requests to anyone else while you read it.

## When you comment

We store:

- **the name** you give, shown with your comment;
- **your email address**, which is never shown to anyone but the moderators. We use it
  to recognise you as the same commenter, and never send it anything you did not ask
  for;
- **your website**, if you give one, linked from your name;
- **part of your network address** — the last part is cut off before it is stored, so
  it points to a neighbourhood of the internet, not to your connection — and your
  browser's name, to stop spam and abuse;
- the comment itself, and when it was written and changed.

Members' comments are stored with their account instead of a name and email.

## When you open an account

We keep your email address, the name shown with your comments, a one-way scrambled form
of your password and, if you add one, your picture.

## Cookies

We set only the cookies the site needs to work: one that keeps members signed in, one
that protects forms against forgery, and, when you comment as a guest, one that lets
your browser edit or delete your own comments. If you tick *Remember me in this
browser*, a cookie keeps your name, email and website for the next comment. There are
no analytics or advertising cookies, so there is nothing to accept.

## The newsletter

If you subscribe, we keep your email address, when you confirmed it and when you leave.
Nothing is sent until you confirm by clicking the link in our first email, and every
issue carries a link that unsubscribes you in one click.

## Donations

Payments are made on our payment provider's pages; your card details never reach us. We
keep your name, email, the amount and the date, to thank you and for our accounts.

## Seeing or deleting your data

Members can download everything we hold about them, or delete their account, from *Your
data* on their profile page. Without an account, ask for a link by email (the way in is
just below): it lets you download or erase what is stored under your address. Either way you
choose whether your comments stay, with nothing that says they were yours, or go; replies
others wrote keep their place.

If you would rather write, or want something corrected, write to
<privacy@frameandgrain.test> from the address you used. We answer within a month,
usually much sooner.

How long each thing is kept is listed just below, from the site's own settings.
"""

STARTER_PAGES = [
    ("about", "About Frame & Grain", ABOUT),
    ("contact", "Contact us", CONTACT),
    ("comment-policy", "Comment policy", COMMENT_POLICY),
    ("privacy", "Privacy", PRIVACY),
]


def create_missing_pages(page_model) -> int:
    """Create each standing page that does not exist yet; return how many were created.

    Takes the model so the data migration can pass its historical one, which has no save()
    to render the body.
    """
    created = 0
    for slug, title, body in STARTER_PAGES:
        _, made = page_model.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "body_html": render_markdown(body)}
        )
        created += made
    return created
