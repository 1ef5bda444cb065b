"""Demo content for Frame & Grain, an independent, volunteer-run photography magazine.

Pure data: `manage.py seed_demo` turns it into rows. Everything here is invented. Real
cameras, lenses and films appear as subjects, but the people, shops, events, stories and
opinions are made up. Articles are Markdown; a paragraph that is only `![alt](image:N)`
places the article's Nth inline image. Hero and inline images are drawn by images.py from
the `motif` and `palette` given.
"""

CATEGORIES = [
    {
        "name": "Cameras",
        "slug": "cameras",
        "parent": None,
        "position": 1,
        "description": (
            "Reviews, histories and long-term reports on the cameras our readers actually use."
        ),
    },
    {
        "name": "Leica",
        "slug": "leica",
        "parent": "cameras",
        "position": 1,
        "description": "Rangefinders, and the people who cannot stop talking about them.",
    },
    {
        "name": "Medium format",
        "slug": "medium-format",
        "parent": "cameras",
        "position": 2,
        "description": "Bigger negatives, heavier bags and slower, happier days out.",
    },
    {
        "name": "Compacts",
        "slug": "compacts",
        "parent": "cameras",
        "position": 3,
        "description": "Small cameras that go everywhere, film and digital alike.",
    },
    {
        "name": "Lenses",
        "slug": "lenses",
        "parent": None,
        "position": 2,
        "description": "Glass old and new: how it draws, how to use it and what to pay for it.",
    },
    {
        "name": "Vintage glass",
        "slug": "vintage-glass",
        "parent": "lenses",
        "position": 1,
        "description": "Older lenses with character, with honest notes on their flaws.",
    },
    {
        "name": "Adapting lenses",
        "slug": "adapting",
        "parent": "lenses",
        "position": 2,
        "description": "Putting old lenses on new cameras, calmly and without tears.",
    },
    {
        "name": "Film & Darkroom",
        "slug": "film-and-darkroom",
        "parent": None,
        "position": 3,
        "description": "Film stocks, home developing and the quiet pleasures of the darkroom.",
    },
    {
        "name": "Film stocks",
        "slug": "film-stocks",
        "parent": "film-and-darkroom",
        "position": 1,
        "description": "How today's films behave in the light we actually have.",
    },
    {
        "name": "Developing & printing",
        "slug": "developing",
        "parent": "film-and-darkroom",
        "position": 2,
        "description": "From kitchen-sink development to the enlarger, one step at a time.",
    },
    {
        "name": "Technique",
        "slug": "technique",
        "parent": None,
        "position": 4,
        "description": (
            "Light, exposure and composition, explained by people who are still learning."
        ),
    },
    {
        "name": "Community",
        "slug": "community",
        "parent": None,
        "position": 5,
        "description": "Readers, repairers, photowalks and the volunteers who make this magazine.",
    },
    {
        "name": "Interviews",
        "slug": "interviews",
        "parent": "community",
        "position": 1,
        "description": "Conversations with the people behind the pictures and the repairs.",
    },
]

AUTHORS = [
    {
        "slug": "nell-hargreaves",
        "name": "Nell Hargreaves",
        "role": "Editor",
        "bio": (
            "Nell started Frame & Grain as a photocopied newsletter for the darkroom club she ran "
            "in Sheffield, and somehow never stopped. She spent fifteen years printing other "
            "people's photographs in a high-street lab and now teaches evening classes in "
            "photography. She shoots mostly black and white, mostly on foot and mostly in the "
            "rain."
        ),
        "website": "https://example.com/nell-hargreaves",
        "portrait": {"colours": ("#2f4858", "#f2c57c"), "hair": "bun"},
    },
    {
        "slug": "dev-malhotra",
        "name": "Dev Malhotra",
        "role": "Contributing editor, cameras and lenses",
        "bio": (
            "Dev has been taking cameras apart since he found a broken Zenit at a Leicester car "
            "boot sale at the age of twelve. By day he maintains medical equipment at a hospital; "
            "by night he writes about shutters, lenses and the people who fix them. He owns too "
            "many fifties and regrets none of them."
        ),
        "website": "https://example.com/dev-malhotra",
        "portrait": {"colours": ("#7a3b2e", "#f4e3c3"), "hair": "crop"},
    },
    {
        "slug": "isla-penhallow",
        "name": "Isla Penhallow",
        "role": "Darkroom and community editor",
        "bio": (
            "Isla runs a shared darkroom in a converted net loft in Penzance and organises the "
            "Frame & Grain photowalks. She came to photography through printmaking and still "
            "thinks of negatives as plates. Her favourite film is whatever happens to be in the "
            "fridge."
        ),
        "website": "https://example.com/isla-penhallow",
        "portrait": {"colours": ("#3d5a40", "#e9b8a0"), "hair": "cap"},
    },
]

ARTICLES = [
    {
        "slug": "living-with-a-leica-m6",
        "title": "Ten years with a Leica M6, and the two times I nearly sold it",
        "standfirst": (
            "Dev Malhotra bought his M6 with the last of his redundancy money and a good deal of "
            "guilt. A decade later it is scuffed, serviced and still in his bag every morning."
        ),
        "category": "cameras/leica",
        "author": "dev-malhotra",
        "tags": ["Rangefinders", "35mm film", "Reviews", "Repair"],
        "days_ago": 3,
        "hero": {
            "alt": "A black rangefinder camera and a spare lens on a table in soft window light.",
            "caption": (
                "The M6 on the kitchen table, where most of its servicing has been planned, and "
                "postponed."
            ),
            "credit": "Photo: Dev Malhotra",
            "motif": "still_life",
            "palette": "studio",
        },
        "images": [
            {
                "alt": "A row of terraced rooftops and chimneys at dusk, with a few windows lit.",
                "caption": (
                    "Rooftops off the Narborough Road on a winter evening, shot wide open with "
                    "the 35mm."
                ),
                "credit": "Photo: Dev Malhotra",
                "motif": "street",
                "palette": "dusk",
            },
        ],
        "related": [
            ("url", "The Leica M6 on Wikipedia", "https://en.wikipedia.org/wiki/Leica_M6"),
            ("article", "at-the-repair-bench-with-gwen-tolley"),
            ("article", "reading-the-light-handheld-meter"),
        ],
        "body": """\
I bought my Leica M6 ten years ago this spring, from a retired surveyor in Market Harborough who
had owned it since new and kept it, as he put it, "for best". It came in a shoebox with the
original receipt, a yellow filter that had never been screwed on and a notebook listing every
roll he had put through it. There were thirty-one. I have put more than that through it in a
single bad winter.

I paid for it with the last of my redundancy money, which felt reckless then and still feels a
little reckless now. But this is not a piece about whether a Leica is worth the money. It is
about what happens when a camera stops being a purchase and becomes a habit.

## What it does well

The short version is that the M6 gets out of the way. The longer version is a list, because I
have been asked this question at every photowalk for a decade:

- **The meter is simple and honest.** Two small red arrows in the finder tell you which way to
  turn a dial. When both glow, you're there. It reads a modest patch in the middle of the frame,
  so you quickly learn to point it at what matters.
- **The shutter needs no battery.** The batteries only run the meter. When they die on a cold
  hillside you still have a working camera and, if you've been paying attention, a rough idea of
  the light.
- **It is quiet.** Not silent, but quiet enough that people at a christening stop noticing it
  after ten minutes.
- **Framelines, not a screen.** You see outside the frame, which means you see people walking
  into it. I still think this is the single best reason to use a rangefinder.

It is not perfect. Loading film through the removable baseplate is fiddly until it isn't, and
then fiddly again whenever you're in a hurry. Focusing a 90mm lens accurately with the
rangefinder patch takes practice and good eyes, and I have neither in abundance after dark.

## The first time I nearly sold it

Four years in, I moved flats and the numbers stopped adding up. I photographed the camera on a
tea towel, wrote a careful listing and left it in my drafts overnight. The next day was my
cousin's wedding. I took the M6 "one last time", shot two rolls of HP5 in a marquee lit mostly
by fairy lights, and came home with the only pictures of my grandmother dancing that anyone in
the family has. The listing stayed in drafts. It is still there, which is slightly embarrassing.

![A row of terraced rooftops and chimneys at dusk, with a few windows lit.](image:1)

## The second time

The second wobble was slower. The rangefinder patch had been fading for a year, and one morning
I realised I was guessing focus rather than measuring it. At the same time I owned a perfectly
good digital camera that focused itself. For a few months the Leica sat on a shelf while I told
myself it was resting.

What brought it back was a service. I took it to a one-person workshop in Stamford, where the
repairer cleaned the rangefinder optics, adjusted the vertical alignment, replaced a tired seal
and handed it back with a look I can only describe as tender. When I asked how much longer it
would last, she said something I have repeated to readers many times since:

> These were built to be opened. Look after the shutter, keep it dry, and it'll outlive the pair
> of us. The question isn't whether the camera's finished. It's whether you are.

## What ten years changes

The camera has changed very little: brassing on the corners of the top plate, a dent in the
baseplate from a harbour wall in Whitby, a strap I have replaced three times. I have changed
more. I meter faster. I pre-focus by feel, using the tab on the 35mm lens. I carry fewer lenses,
then one, and for most of last year nothing but the one already fitted.

## Should you buy one now?

Prices have climbed a long way since I bought mine, and I would not tell anyone to stretch for
one. If you are set on it, buy from someone who will take it back, check the rangefinder at
infinity on a distant chimney, shine a torch through the open lens mount with the back open to
look for pinholes in the shutter curtains, and budget for a service regardless. Then use it
until it stops being precious. That is when it gets good.
""",
    },
    {
        "slug": "pentax-67-on-the-dark-peak",
        "title": "Carrying the brick: a Pentax 67 on the Dark Peak",
        "standfirst": (
            "It weighs about as much as two bags of sugar and sounds like a wardrobe door "
            "closing. A borrowed Pentax 67 taught Nell Hargreaves to slow down on the moors above "
            "Edale."
        ),
        "category": "cameras/medium-format",
        "author": "nell-hargreaves",
        "tags": ["Medium format", "120 film", "Landscape"],
        "days_ago": 9,
        "hero": {
            "alt": "Layered moorland hills under a pale sky, a low sun above the far ridge.",
            "caption": (
                "Early light over the edges north of Edale, on the third weekend of the loan."
            ),
            "credit": "Photo: Nell Hargreaves",
            "motif": "hills",
            "palette": "moor",
        },
        "images": [
            {
                "alt": "Layered hills under a pale autumn sky, fading into haze.",
                "caption": (
                    "Looking east along the valley a little after eight in the morning. Ten "
                    "frames, ten decisions."
                ),
                "credit": "Photo: Nell Hargreaves",
                "motif": "hills",
                "palette": "autumn",
            },
            {
                "alt": "A stretch of moorland in cold winter light, the far ridges pale and soft.",
                "caption": (
                    "The last roll of the loan, on a morning cold enough to stiffen the film "
                    "advance."
                ),
                "credit": "Photo: Nell Hargreaves",
                "motif": "hills",
                "palette": "winter",
            },
        ],
        "related": [
            ("url", "The Pentax 67 on Wikipedia", "https://en.wikipedia.org/wiki/Pentax_67"),
            ("article", "portra-400-in-winter-light"),
        ],
        "body": """\
There is a particular noise a Pentax 67 makes when you press the shutter. People describe it in
different ways; a friend of mine says it sounds like someone shutting a wardrobe with feeling.
On an empty moor at seven in the morning it is loud enough to make the grouse complain. I have
come to love it, mostly because there are only ten of them on a roll of 120, and each one feels
like a decision.

This spring I carried one up onto the Dark Peak for a month of weekends. It was lent by a
reader, Martin, who answered our call-out for "a camera you love but never take anywhere" and
posted it to us wrapped in a tartan blanket, with a note asking that it be shown some hills.

## The shape of the thing

The Pentax 67 looks like an oversized 35mm SLR, which is both its charm and its trick. You hold
it the same way, you look through a prism the same way, and your hands think they know what they
are doing. Then you lift it to your eye and your wrists explain the difference.

With the metered prism and the standard 105mm lens it comes to roughly two kilograms. I carried
it on a wide strap across my body, lens pointing down and back, and after the first day I
stopped noticing it until the climbs.

## Ten frames, then a cup of tea

The slow rhythm is the real lesson. Ten frames means reloading every forty minutes or so on a
good morning, and reloading the Pentax is not something you do while walking. I learned to find
a rock, sit down, pour a cup of tea from the flask and reload while the light did whatever it
was going to do.

![Layered hills under a pale autumn sky, fading into haze.](image:1)

Some practical notes from a month of doing this:

- **Use the mirror lock-up.** The mirror is big and the slap is real. On a tripod, lock it up
  and use a cable release; handheld, stay at 1/250 or faster if the light allows.
- **Meter, then think.** The prism meter was accurate on the copy I borrowed, but the sky over a
  moor is huge and bright. Tilt the camera down, take the reading off the heather, then
  recompose.
- **Keep spare rolls in a pocket, not the bag.** You will not want to take the bag off on a
  ridge in the wind.
- **Mind the backing paper.** Keep exposed rolls tightly wound and sealed. A loose roll of 120
  rattling about in a pocket is a fogged roll.

## What the negatives taught me

At home I developed the black-and-white rolls myself and sent the colour ones to a lab. Laid out
on the lightbox, the 6x7 negatives are big enough to read with the naked eye, and that does
something to how you judge them. You stop hunting for sharpness and start looking at the shape
of the light.

My favourites were not the grand views. They were small things: a drystone wall running into
mist, a gate left open, a stranger's collie waiting patiently on a stile. The big camera made
small subjects feel considered.

![A stretch of moorland in cold winter light, the far ridges pale and soft.](image:2)

## Would I buy one?

Probably not, and I say that with real affection. For me the Pentax 67 is a camera for a season
rather than a lifetime: for a project with a clear shape, a reason to slow down and a patient
back. If that sounds like you, find one to borrow first. Readers are generous. Martin has his
camera home again, with a print of the open gate tucked into the blanket, and I have a new
respect for anyone who carries one up Kinder Scout every weekend.
""",
    },
    {
        "slug": "fujifilm-x100-a-decade-on",
        "title": "The first Fujifilm X100, more than a decade on",
        "standfirst": (
            "Slow to focus, quick to charm and hungry for batteries: Dev Malhotra spends a month "
            "with the compact that made dials fashionable again."
        ),
        "category": "cameras/compacts",
        "author": "dev-malhotra",
        "tags": ["Digital", "Street", "Reviews"],
        "days_ago": 16,
        "hero": {
            "alt": "Terraced houses and chimneys against a warm evening sky, a few windows lit.",
            "caption": (
                "A month of evening walks home, with the camera set to f/5.6 and left there."
            ),
            "credit": "Photo: Dev Malhotra",
            "motif": "street",
            "palette": "portra",
        },
        "images": [
            {
                "alt": "Warm, out-of-focus Christmas lights in a dark market street.",
                "caption": (
                    "Market lights at f/2, focused on nothing in particular. The leaf shutter "
                    "barely makes a sound."
                ),
                "credit": "Photo: Dev Malhotra",
                "motif": "bokeh",
                "palette": "dusk",
            },
        ],
        "related": [
            (
                "url",
                "The Fujifilm X100 on Wikipedia",
                "https://en.wikipedia.org/wiki/Fujifilm_X100",
            ),
            ("article", "one-lens-one-weekend"),
        ],
        "body": """\
The original Fujifilm X100 arrived at a moment when compact cameras were getting smaller,
cheaper and more forgettable. It went the other way: a fixed 23mm lens, a large sensor for its
size, proper dials for shutter speed and exposure compensation, and a viewfinder that could
switch between optical and electronic at the flick of a lever. It looked like a rangefinder from
a good decade, and for many people it was the first digital camera that seemed to want to be
carried.

I bought mine second-hand last autumn for less than the price of a decent tripod, from a reader
clearing out a drawer. She had taken it on one holiday, got frustrated and gone back to her
phone. I understand why, and I also think she missed out.

## The frustrations first

There is no point pretending. The first X100 is slow. It is slow to wake, slow to focus in dim
light and slow to write raw files to the card. The menus were evidently designed by someone who
had never used the camera in a hurry; at least one setting I use daily lives four screens deep.

- **Autofocus** hunts in poor light, particularly with the optical finder. I use manual focus
  and the distance scale far more often than I expected to.
- **Close focus** is soft at f/2. My copy needs stopping down to f/4 for anything nearer than an
  arm's length.
- **Batteries** last a morning, not a day. I carry three and rotate them the way film
  photographers rotate rolls.

## Why it is still lovely

And yet. The hybrid viewfinder remains a genuine pleasure: a clear optical view with bright
framelines and just enough information laid over it, or, when you need precise framing, an
electronic view at the same eye. The leaf shutter is nearly silent and syncs with flash at high
speeds, which turns daylight fill flash into an easy habit rather than a technical exercise.

![Warm, out-of-focus Christmas lights in a dark market street.](image:1)

The files are the other surprise. At low ISO they have a gentle, slightly old-fashioned quality
that needs very little help. Colour is pleasant without being insistent. I have been printing
them at A4 for the noticeboard at the hospital where I work, and nobody has yet asked how many
megapixels the camera has, which is the best review a camera can get.

## How I use it now

After a month I settled into a routine that suits the camera's pace instead of fighting it:

1. Aperture at f/5.6, shutter speed on automatic, ISO on automatic with a sensible ceiling.
2. Manual focus set to about three metres on the scale, with a press of the AF-L button when I
   do need autofocus.
3. Optical finder for streets and people; electronic for anything close or carefully framed.
4. Raw plus JPEG, with the JPEGs set to a quiet black and white for reviewing on the bus home.

Written down, that sounds fussy. In practice it means the camera is ready the moment I lift it,
which is all a street camera needs to be.

## Who should go looking for one

If you want a quick, clever camera, buy something newer; there are several, including the X100's
own descendants. If you want a patient companion that will teach you to anticipate rather than
react, and you do not mind a pocket full of batteries, the first X100 is one of the most
enjoyable bargains in photography.

Just don't buy one out of a drawer without checking the aperture. Sticky aperture blades are a
well-known complaint with this model: take a few pictures of a bright sky at f/8 and f/16 and
make sure they are not wildly overexposed before any money changes hands.
""",
    },
    {
        "slug": "nikon-f3-workhorse",
        "title": "The Nikon F3: a workhorse that never asks for attention",
        "standfirst": (
            "Nell Hargreaves inherited an F3 from the woman who taught her to print. Twenty years "
            "on, it is still the camera she reaches for when the pictures matter more than the "
            "gear."
        ),
        "category": "cameras",
        "author": "nell-hargreaves",
        "tags": ["35mm film", "SLR", "Reviews"],
        "days_ago": 23,
        "hero": {
            "alt": "A strip of colour negatives lying at an angle on a lightbox.",
            "caption": (
                "A roll from Brenda's F3, as it came back from the lab, on the lightbox at the "
                "office."
            ),
            "credit": "Photo: Nell Hargreaves",
            "motif": "film_strip",
            "palette": "autumn",
        },
        "images": [],
        "related": [
            ("url", "The Nikon F3 on Wikipedia", "https://en.wikipedia.org/wiki/Nikon_F3"),
            ("article", "living-with-a-leica-m6"),
        ],
        "body": """\
The first Nikon F3 I ever held belonged to Brenda Aske, who ran the photo lab where I worked in
my twenties. She kept it on a hook behind the counter, loaded with whatever film was nearest,
and used it to photograph everything from customers' dogs to the burst pipe that flooded the
drying room. When she retired she handed it to me in a carrier bag with a 50mm lens, a hood held
on with tape and the words, "It works. Don't fiddle with it."

I have mostly obeyed.

## A quick sketch of the camera

Nikon launched the F3 in 1980 and went on making it for a remarkably long time. It is a
professional 35mm SLR with an electronically controlled shutter, aperture-priority automatic
exposure and a small LCD in the viewfinder that shows the shutter speed the camera has chosen.
Its styling, with a thin red stripe on the grip, was shaped by an Italian industrial designer,
and it has aged better than most of us.

For working photographers it offered interchangeable viewfinders, an enormous system of lenses
and accessories, and a motor drive for when things got busy. For the rest of us its appeal is
plainer: it does the job, quietly, for decades.

## What makes it easy to live with

- **Aperture priority.** Set the aperture for the picture you want and let the camera worry
  about the shutter speed. In changing light this is a gift.
- **A mechanical backup.** If the batteries die, a small lever gives you a single mechanical
  shutter speed, enough to get home with pictures.
- **The high-eyepoint finder.** The HP version, which mine is, lets you see the whole frame
  while wearing glasses. Anyone who wears glasses will understand why this matters.
- **The lenses.** Decades of Nikon manual-focus glass fit with little fuss, and much of it is
  affordable.

## And what doesn't

The F3 has its quirks. The LCD can fade with age and is hard to read in dim light; there is a
little button to illuminate it, which I forget about every single time. The metering is strongly
centre-weighted, which is excellent once you have learned it and baffling until you have. And
the film advance, though smooth, is not quite as satisfying as on Nikon's fully mechanical
bodies. These are the complaints of someone who has had twenty years to think of them.

## A camera for paying attention

What I value most is how little the F3 asks of me. I have used cameras that want to be admired,
cameras that want to be understood and cameras that want to be charged. The F3 wants film and,
every year or so, a couple of fresh button cells. In return it lets me think about the person in
front of the lens.

> Brenda used to say a good camera is like a good pair of boots. You shouldn't notice it until
> you take it off at the end of the day.

I think of that whenever I see someone at a photowalk wrestling with their equipment. The best
tool is often the one that has stopped being interesting. My F3 has a dent in the prism, new
light seals and a strap that belonged to Brenda. It is not interesting in the slightest, and I
would not swap it for anything.

## If you are buying one

Look through the finder in daylight and check that the LCD is readable. Make sure the meter
responds as you turn the aperture ring. Try the mechanical backup. And if you can, buy one from
somebody who used it: an F3 that has worked for a living is often in better health than one that
has spent forty years in a cupboard.
""",
    },
    {
        "slug": "adapting-old-lenses-to-mirrorless",
        "title": "Adapting old lenses to mirrorless cameras: a calm beginner's guide",
        "standfirst": (
            "Mirrorless cameras can wear almost any lens ever made, given the right ring of "
            "metal. Here is what that ring does, what to buy and what to leave in the box."
        ),
        "category": "lenses/adapting",
        "author": "dev-malhotra",
        "tags": ["Vintage lenses", "Digital", "How-to"],
        "days_ago": 30,
        "hero": {
            "alt": "Soft, warm discs of out-of-focus light against a dark background.",
            "caption": (
                "Background lights through a forty-year-old fifty, wide open, on a modern body."
            ),
            "credit": "Photo: Dev Malhotra",
            "motif": "bokeh",
            "palette": "portra",
        },
        "images": [
            {
                "alt": "A black camera body with an old lens fitted, on a table by a window.",
                "caption": (
                    "An adapter is only a precise tube of metal. The clever part happened decades "
                    "ago."
                ),
                "credit": "Photo: Dev Malhotra",
                "motif": "still_life",
                "palette": "portra",
            },
        ],
        "related": [
            ("article", "helios-44-swirly-bokeh"),
            (
                "url",
                "Flange focal distance on Wikipedia",
                "https://en.wikipedia.org/wiki/Flange_focal_distance",
            ),
        ],
        "body": """\
Every few weeks a reader writes in with some version of the same question: "I have my dad's old
lenses in a box. Can I use them on my new camera?" The answer is usually yes, often cheaply and
always with a few caveats. This is the guide I send them.

## Why it works at all

Every lens mount has a flange distance: the gap between the mount on the camera and the film or
sensor. A lens is designed to sit at exactly that distance in order to focus correctly, all the
way to infinity.

Mirrorless cameras have very short flange distances, because there is no mirror box to make room
for. Most older SLR lenses were designed for longer ones. An adapter is simply a precisely made
tube that holds the old lens at its intended distance in front of your sensor. No glass, no
electronics, nothing clever. That is why a basic adapter can be cheap and still work perfectly
well.

It also explains the main rule: you can usually adapt a lens from a system with a longer flange
distance to one with a shorter distance, but not the other way round without adding glass.

## What to buy

- **A plain adapter** for each lens mount you own. Look for a snug fit at both ends and a matt
  black interior to cut down on flare. Read the reviews for comments on infinity focus; an
  adapter that is a fraction too thick will stop you reaching it.
- **A helicoid adapter** if you want closer focusing. It adds a focusing ring of its own and
  turns most lenses into something near a macro.
- **A focal reducer** only once you know you need one. These add glass to widen the field of
  view on smaller sensors, at more cost and with some compromises.

Leave electronic adapters for later. They pass autofocus and aperture information between
certain systems and can be excellent, but they are a different budget and a different
conversation.

![A black camera body with an old lens fitted, on a table by a window.](image:1)

## Setting up the camera

Before the first shot, change a few settings:

1. Find the option called something like "release without lens" and turn it on. Without it, many
   cameras refuse to fire because they cannot see a lens.
2. Turn on focus peaking, which outlines in-focus edges in colour, and put magnified view on a
   button you can reach without looking.
3. If your camera has in-body stabilisation, tell it the focal length of the lens you have
   fitted. It has no way of finding out for itself.
4. Use aperture priority or manual exposure, and set the aperture on the lens itself.

## What to expect, and what to avoid

Old lenses behave like old lenses. They flare, lose contrast against the light and are often
softer wide open than modern designs. That is much of the fun. Expect to stop down a little for
crisp results, and to use a lens hood more than you used to.

On cameras with smaller sensors, remember the crop factor: a 50mm lens frames like a short
telephoto. That makes many old standard lenses into lovely portrait lenses, and makes a
genuinely wide view harder to find.

Some lenses are poor candidates. Wide-angle lenses designed for rangefinder cameras can show
colour shifts and smeared corners on some digital sensors, because of the steep angle at which
their light reaches the edges of the frame. Lenses whose rear elements stick out behind the
mount may foul the adapter or the camera. And any lens with haze, fungus or oily aperture blades
is best seen by a repairer before it goes anywhere near your camera.

## Start with one lens

The best advice I can give is dull: start with one lens, one adapter and a month of use. Learn
how it flares, how far the focus ring turns and where it is at its best. You may find, as many
readers have, that the old fifty from the box becomes the lens you reach for first.
""",
    },
    {
        "slug": "helios-44-swirly-bokeh",
        "title": "The Helios 44 and the swirly bokeh question",
        "standfirst": (
            "Millions were made, most were cheap and a few are now mildly famous. Dev Malhotra "
            "works out when this Soviet fifty swirls, and whether it should."
        ),
        "category": "lenses/vintage-glass",
        "author": "dev-malhotra",
        "tags": ["Vintage lenses", "Bokeh", "Portraits"],
        "days_ago": 37,
        "hero": {
            "alt": "Overlapping discs of soft autumn colour, out of focus, against a dark ground.",
            "caption": (
                "Sunlit leaves behind a neighbour's hedge, at f/2 with the most obliging of four "
                "copies."
            ),
            "credit": "Photo: Dev Malhotra",
            "motif": "bokeh",
            "palette": "autumn",
        },
        "images": [
            {
                "alt": (
                    "Soft, overlapping circles of light in blue and amber against a dark "
                    "background."
                ),
                "caption": (
                    "Harbour lights after dark. Without a busy background, the swirl has nothing "
                    "to work with."
                ),
                "credit": "Photo: Dev Malhotra",
                "motif": "bokeh",
                "palette": "harbour",
            },
        ],
        "related": [
            ("url", "The Helios 44 on Wikipedia", "https://en.wikipedia.org/wiki/Helios_44"),
            ("url", "Bokeh on Wikipedia", "https://en.wikipedia.org/wiki/Bokeh"),
            ("article", "adapting-old-lenses-to-mirrorless"),
        ],
        "body": """\
If you have spent any time on photography forums, you have seen the pictures: a portrait sharp
in the centre, the background spinning around it like water round a plughole. Very often the
lens responsible is a Helios 44, a 58mm f/2 standard lens made in enormous numbers in the Soviet
Union, mostly in the M42 screw mount.

I have owned four over the years. Two swirled beautifully, one barely at all, and one was so
hazy it turned every picture into the memory of a picture. So when a reader asked me to explain
"the swirl", I set out to do it properly, with one lens, one garden and a great deal of
patience.

## Where the swirl comes from

The short version: towards the edges of the frame, this design turns out-of-focus highlights
into stretched, cat's-eye shapes arranged in rings around the centre. When the background is
full of small bright points, your eye joins them up into a swirl.

The long version involves field curvature and the way the lens barrel clips light at wide
apertures, and I will leave that to people who enjoy optical diagrams. What matters in practice
is how to get the effect, and when to avoid it.

## How to make it swirl

After an afternoon in the garden with my most obliging copy, my notes read:

- **Shoot wide open.** At f/2 the effect is strongest. By f/4 it has mostly gone.
- **Mind the distances.** Put your subject a metre and a half to two metres away and the
  background several metres further back. Too close and the background melts into soup; too far
  and there is nothing left to swirl.
- **Choose a busy background.** Sunlit leaves, hedges, fairy lights. A plain wall will never
  swirl, however hard you wish.
- **Leave space around the subject.** The swirl lives at the edges of the frame. Crop tightly
  and you crop it away.
- **Use a full-frame sensor or film.** On a smaller sensor you only see the middle of the image,
  where the effect is weakest.

![Soft, overlapping circles of light in blue and amber against a dark background.](image:1)

## Should it swirl?

This is where I part company with the forums. A little swirl can be lovely: it draws the eye to
the centre and gives a portrait a dreamy, old-film feeling. A lot of swirl, on every picture,
becomes a filter. You start to notice the lens before the person.

Isla, who edits our darkroom pages, put it better than I could when I showed her a contact sheet:

> The first one is a picture of your neighbour. The tenth is a picture of a lens. Somewhere in
> between, you stopped looking at her.

So I now use the Helios the way I would use a strong spice. For a portrait against leaves on a
bright evening, yes. For a landscape, a street scene or anything where the edges matter, I reach
for something better behaved.

## Buying one

Helios 44s are still inexpensive, and the differences between copies are real. Look through the
lens at a bright light and check for haze and fungus. Work the aperture ring and make sure the
blades move freely and are dry. Expect flare against the light; some people prize it. If you are
using it on a mirrorless camera you will need an adapter, and our beginner's guide to adapting
covers the details.

Finally, be wary of listings that promise "the famous swirl" at a premium. Every copy is capable
of it, more or less. The swirl is in the conditions, not in the seller's description.
""",
    },
    {
        "slug": "portra-400-in-winter-light",
        "title": "Kodak Portra 400 in low winter light",
        "standfirst": (
            "A film loved for summer skin tones turns out to be a quiet hero of short, grey days, "
            "provided you feed it enough light. Isla Penhallow explains how she exposes it "
            "between November and February."
        ),
        "category": "film-and-darkroom/film-stocks",
        "author": "isla-penhallow",
        "tags": ["Colour film", "Exposure", "Landscape"],
        "days_ago": 44,
        "hero": {
            "alt": "Soft grey hills under a pale winter sky, the sun low and hazy.",
            "caption": "A January morning above Zennor, rated at 200 and metered for the bracken.",
            "credit": "Photo: Isla Penhallow",
            "motif": "hills",
            "palette": "winter",
        },
        "images": [
            {
                "alt": (
                    "A calm harbour at dusk, the low sun reflected in the water beside a dark "
                    "headland."
                ),
                "caption": (
                    "Newlyn at half past three in December. Portra held the shadows because it "
                    "was given a stop more than the meter asked for."
                ),
                "credit": "Photo: Isla Penhallow",
                "motif": "sea",
                "palette": "harbour",
            },
        ],
        "related": [
            ("url", "Kodak Portra on Wikipedia", "https://en.wikipedia.org/wiki/Kodak_Portra"),
            ("article", "reading-the-light-handheld-meter"),
        ],
        "body": """\
Portra 400 has a reputation as a summer film. It is what people load for weddings in June and
long evenings on the beach, when skin glows and everything looks warm. I used to put it away in
October and switch to black and white for the dark months.

Three winters ago, with a fridge full of Portra and no money for anything else, I kept shooting
it through Cornwall's wet season. It changed my mind about the film, and about winter.

## The one rule: don't starve it

Colour negative film tolerates overexposure far better than underexposure. Give Portra 400 too
much light and the negatives come out dense but full of information. Give it too little and the
shadows turn thin, grainy and muddy, with colour casts that no amount of scanning will entirely
fix.

In summer you can be careless, because there is light to spare. In winter there isn't. So from
November onwards I:

- **Rate it at 200.** I set the meter to ISO 200 and have the film developed as normal. That
  builds in a stop of extra exposure without my having to think about it.
- **Meter for the shadows.** I take readings from the darkest area where I still want detail,
  rather than the bright sky. On grey days that usually means pointing the meter at a wall, a
  hedge or somebody's coat.
- **Slow the shutter, not the story.** If I need 1/30 to get enough light, I brace against a
  lamp post and take two frames. Winter asks for steadiness.

## What winter light does to colour

The joy of winter Portra is subtlety. Low sun gives long, warm highlights and cool blue shadows,
and the film holds both without shouting. On overcast days the palette drops to soft greens,
slate and the occasional red of a door or a buoy, which suddenly becomes the whole picture.

![A calm harbour at dusk, the low sun reflected in the water beside a dark headland.](image:1)

I have found that the film's famous skin tones are, if anything, more flattering in soft winter
light than in hard summer sun. Faces lose their squint. People stand still for longer because
they are cold, and that helps too.

## At the lab

I send my colour film to a small lab above a bike shop in Truro, run by two former newspaper
photographers who will talk about negatives for as long as you let them. Their advice, which I
pass on with their blessing:

> Tell us what you did. If you rated it at 200, say so. If you guessed, say that too. We'd much
> rather know than go hunting for the right scan.

Ask for scans that are neither too contrasty nor too saturated, and make your own adjustments
afterwards. Winter pictures are easily pushed into something brash they never were.

## When to give up and use something else

There are days when even generous exposure is not enough: late afternoons in December, heavy
rain under trees, kitchens lit by a single bulb. Then I either switch to a faster
black-and-white film that I can push in development, or accept the grain and enjoy it. Not every
picture needs to be clean, and a grainy, honest winter frame beats a perfect one you never took.

Portra 400 lives in my bag all year now. It just gets more light in winter, like the rest of us.
""",
    },
    {
        "slug": "developing-your-first-black-and-white-roll",
        "title": "Developing your first black-and-white roll at the kitchen sink",
        "standfirst": (
            "You need less kit, less space and less nerve than you think. Isla Penhallow walks "
            "through a first home-developed roll, from changing bag to drying line."
        ),
        "category": "film-and-darkroom/developing",
        "author": "isla-penhallow",
        "tags": ["Darkroom", "Black and white", "How-to"],
        "days_ago": 51,
        "hero": {
            "alt": "Prints hanging to dry on a line under a red safelight.",
            "caption": "The drying line at the net loft darkroom, on a Thursday members' evening.",
            "credit": "Photo: Isla Penhallow",
            "motif": "darkroom",
            "palette": "darkroom",
        },
        "images": [],
        "related": [
            (
                "url",
                "Photographic developer on Wikipedia",
                "https://en.wikipedia.org/wiki/Photographic_developer",
            ),
            (
                "url",
                "Photographic fixer on Wikipedia",
                "https://en.wikipedia.org/wiki/Photographic_fixer",
            ),
        ],
        "body": """\
The first roll I developed myself came out of the tank looking like strips of liquorice, and I
was so pleased I held it up to the window and shouted for my flatmate. Most of the frames were
overexposed, a couple were blank, and one, of a gull on a chimney pot, was perfect. It is still
on my wall.

Developing black-and-white film at home is one of the most satisfying things you can do in
photography, and far less difficult than its reputation. You do not need a darkroom. You need a
kitchen, a light-tight bag and about an hour.

## What you need

- A **changing bag**: a light-tight bag with two sleeves, for loading film in daylight.
- A **developing tank and reel** to suit your film. Plastic tanks with spiral reels are the
  friendliest place to start.
- **Developer, stop bath and fixer.** If you are unsure, buy all three from the same maker as a
  starter set. Plain water works as a stop bath too.
- A **measuring jug**, a thermometer and a timer.
- **Wetting agent**, a drop or two of which helps the film dry without marks.
- **Clips**, and somewhere to hang the film. A shower rail is traditional.
- **Nitrile gloves** and a well-ventilated room.

## Loading the reel

This is the part everyone dreads, so practise in daylight with a spoiled roll first. Get used to
feeling the film's edges, finding the entry point on the reel and ratcheting the film on. Then
do it again with your eyes shut. When you can do it blind, do it for real inside the bag: film,
reel, tank, lid, scissors, and a bottle opener to pop the end off a 35mm cassette.

Once the lid is on, the tank is light-tight and you can do everything else with the lights on.

## The process, step by step

Times and temperatures depend on your film and developer, so follow the maker's chart. Most
charts assume 20°C, and it is worth getting close to that.

1. **Develop.** Pour in the developer, start the timer and agitate as the chart says, typically
   a few gentle inversions at the start and again each minute. Tap the tank on the counter to
   dislodge air bubbles.
2. **Stop.** Pour the developer out and the stop bath (or plain water) in, for about a minute.
   This halts development.
3. **Fix.** Pour in the fixer and agitate for the recommended time. After this the film is no
   longer sensitive to light, and you may peek.
4. **Wash.** Rinse thoroughly in water at roughly the same temperature. A common method is to
   fill and invert the tank several times, changing the water between rounds.
5. **Wet and dry.** Give the film a final bath with a drop of wetting agent, then hang it with a
   clip at each end in a dust-free room.

## After the first roll

Look at your negatives on a lightbox, a bright window or a tablet showing a white screen. Thin,
see-through negatives usually mean underexposure in the camera; dark, dense ones suggest
overexposure or too much development. Keep notes, change one thing at a time, and you will be
surprised how quickly you learn.

A word on chemicals: treat them with respect. Keep them away from food, children and pets, label
every bottle, and never pour used fixer down the drain, because it carries dissolved silver.
Your local household waste site will usually take it; ring and ask first.

> The second roll is always better than the first. The third is usually worse, because by then
> you think you know what you're doing.

That is what I tell everyone at our Thursday darkroom evenings, and it has never yet been wrong.
When your negatives are dry, cut them into strips, sleeve them, and go and shoot another roll.
""",
    },
    {
        "slug": "reading-the-light-handheld-meter",
        "title": "Reading the light: why a handheld meter is worth learning",
        "standfirst": (
            "Your camera's meter is clever, but it only knows one trick. Nell Hargreaves makes "
            "the case for a small grey box that measures the light falling on your subject "
            "instead."
        ),
        "category": "technique",
        "author": "nell-hargreaves",
        "tags": ["Exposure", "How-to", "35mm film"],
        "days_ago": 58,
        "hero": {
            "alt": "Hills at dawn in layers of violet and blue beneath a rising sun.",
            "caption": (
                "Dawn from Stanage Edge. The meter said one thing, the sky another; the sky was "
                "wrong."
            ),
            "credit": "Photo: Nell Hargreaves",
            "motif": "hills",
            "palette": "dawn",
        },
        "images": [
            {
                "alt": "A bright sea under a pale sky, the sun's reflection broken into ripples.",
                "caption": (
                    "Sun on water is the classic trap for a reflected-light meter. An incident "
                    "reading ignores the glitter."
                ),
                "credit": "Photo: Nell Hargreaves",
                "motif": "sea",
                "palette": "coast",
            },
        ],
        "related": [
            ("url", "Light meter on Wikipedia", "https://en.wikipedia.org/wiki/Light_meter"),
            (
                "url",
                "The sunny 16 rule on Wikipedia",
                "https://en.wikipedia.org/wiki/Sunny_16_rule",
            ),
            ("article", "nikon-f3-workhorse"),
        ],
        "body": """\
Every meter built into a camera measures reflected light: the light bouncing off whatever you
point it at. It then assumes, quite reasonably, that the scene is of average brightness, and
recommends an exposure that would render it as a middle grey.

Most of the time that assumption is close enough. But a snowy field is not average, and nor is a
black dog asleep on a dark sofa. Point a reflected meter at the snow and it will make the snow
grey; point it at the dog and it will make the dog grey too. The meter isn't wrong, exactly. It
just doesn't know what it is looking at.

## Incident metering in one paragraph

A handheld meter can measure reflected light too, but its real gift is incident metering. You
hold it at your subject, with its white dome facing the camera, and it measures the light
falling on the scene rather than the light coming back from it. The reading does not care
whether your subject is a bride in white or a coalman at the end of his round. It tells you how
much light there is, and leaves the subject to look like itself.

![A bright sea under a pale sky, the sun's reflection broken into ripples.](image:1)

## When it earns its place

I don't carry a handheld meter every day. I carry it when:

- **The light is tricky but steady.** Backlit portraits, snow, beaches, a dark stage with a
  single spotlight.
- **I'm using a camera without a meter,** or one whose batteries are impossible to find, or
  whose readings I no longer trust.
- **I'm shooting slide film,** which forgives very little and rewards careful readings.
- **I'm teaching.** Nothing explains exposure better than watching a number change as a cloud
  crosses the sun.

## A routine that works

This is how I use mine on a walk with a meterless camera:

1. Take an incident reading in the light where the subject stands, dome pointing towards the
   camera position.
2. Set the camera and take the picture. Keep that setting until the light changes.
3. Walked into shade, or has a cloud come over? Take another reading. Otherwise, don't fuss.
4. Once an hour, compare the reading with what the sunny 16 rule would suggest. It keeps your
   own judgement sharp.

The sunny 16 rule, if you have not met it, says that in bright sun at f/16 your shutter speed
should be roughly one over your film speed: 1/125 for ISO 100 film, say. It is a surprisingly
good sanity check, and after comparing it with a meter a few dozen times you will start guessing
the light correctly before you have taken a reading at all.

## Which meter?

You do not need anything expensive. A second-hand meter from a reputable maker, with an incident
dome and a clear display, is plenty. Old selenium-cell meters need no batteries and can be
charming, but many have grown tired with age, so check one against a reading you trust before
relying on it. Phone apps are a reasonable way to start with reflected readings, though without
extra hardware they cannot take true incident readings.

## The real reason to learn

Using a handheld meter slows you down by perhaps ten seconds a picture. In return you start to
notice light: how much brighter the open sky is than the shade under a tree, how quickly an
evening fades, how a white wall throws light back onto a face. After a season with a meter I
found I could guess most exposures to within a stop without it. The little grey box had, in the
best sense, made itself unnecessary.
""",
    },
    {
        "slug": "one-lens-one-weekend",
        "title": "One lens, one weekend: notes on slow looking",
        "standfirst": (
            "Isla Penhallow spent two days in Penzance with a single 50mm lens, one roll of film "
            "a day and one rule: no photograph until she had looked for a full minute."
        ),
        "category": "technique",
        "author": "isla-penhallow",
        "tags": ["Composition", "Street", "Photowalks"],
        "days_ago": 65,
        "hero": {
            "alt": "A headland and a calm sea at sunset, warm light breaking across the water.",
            "caption": (
                "Saturday evening from the promenade: frame thirty-one, after a very long minute."
            ),
            "credit": "Photo: Isla Penhallow",
            "motif": "sea",
            "palette": "portra",
        },
        "images": [
            {
                "alt": "Rooftops and chimneys along a hillside street in warm evening light.",
                "caption": (
                    "The streets behind the harbour on Sunday afternoon, when the minute had "
                    "relaxed into 'until I'm sure'."
                ),
                "credit": "Photo: Isla Penhallow",
                "motif": "street",
                "palette": "portra",
            },
        ],
        "related": [
            ("article", "harbour-photowalk-report"),
            ("article", "fujifilm-x100-a-decade-on"),
        ],
        "body": """\
The idea came from a reader's letter. She wrote that she had stopped enjoying photography,
because she came home from every walk with three hundred pictures and no memory of the walk. Did
we have any advice? I didn't, so I decided to go and find some.

The rules I set myself for a weekend at home in Penzance were simple. One camera, one 50mm lens.
One roll of thirty-six exposures each day. And before pressing the shutter, a full minute of
looking, timed on my watch, at whatever had caught my eye.

## Saturday: a minute is very long

The first few minutes were agony. I stood at the end of the harbour watching a man coil rope,
convinced the moment would pass while I counted. It did pass, and then something better
happened: he sat down on an upturned crate, poured a cup of tea from a flask and looked out at
the water with exactly the patience I was pretending to have. I took one frame. It is the best
picture of the weekend.

By lunchtime I had taken six photographs, which for me is unheard of. I had also noticed things
I normally walk straight past: light bouncing off wet slate into a shop doorway, a child's
drawing of a boat taped inside a window, the exact blue of the paint on the lifeboat station
doors.

![Rooftops and chimneys along a hillside street in warm evening light.](image:1)

## What a minute does

Looking for a full minute changes what you photograph. Some things lose their interest after
twenty seconds; they were only surprising, not interesting. Others reveal more the longer you
look. A few notes from my notebook that evening:

- **Light moves.** In a minute the sun can slide across a wall, or a cloud can change
  everything. Waiting lets you choose the moment as well as the subject.
- **People settle.** Someone who noticed you in the first ten seconds has usually forgotten you
  by the fortieth.
- **Edges matter.** With time to look, you notice the bin at the edge of the frame, and you take
  two steps to lose it.
- **Your own mood shows.** Several of my "interesting" subjects turned out to be the same thing,
  a lone figure by water, which told me more about my week than about Penzance.

## Sunday: fewer rules, same habit

On Sunday I relaxed the minute into "until I'm sure", which was sometimes five seconds and
sometimes five minutes. I finished the roll at half past four with the light going gold along
the promenade, and walked home without feeling I had missed anything at all.

> The camera was mostly a reason to stand still. That turns out to be most of what I wanted from
> it.

That is what I wrote back to the reader, along with a contact sheet. She replied a month later
with one of her own: twelve frames from a walk along the canal near her home, and a note saying
she could remember every one.

## Try it yourself

You do not need a film camera for this. A digital camera with the screen switched off and a
self-imposed limit works just as well. Choose one lens and leave the others at home. Give
yourself a small number of frames. Then, before each picture, wait. It will feel silly, and then
it won't, and then you may find you have a weekend you actually remember.
""",
    },
    {
        "slug": "at-the-repair-bench-with-gwen-tolley",
        "title": "At the repair bench with Gwen Tolley",
        "standfirst": (
            "Once a month a retired instrument technician sets up a folding table in a chapel "
            "hall in Hebden Bridge and brings dead cameras back to life for the price of a cup of "
            "tea. Nell Hargreaves went to watch."
        ),
        "category": "community/interviews",
        "author": "nell-hargreaves",
        "tags": ["Repair", "Community", "Rangefinders"],
        "days_ago": 72,
        "hero": {
            "alt": "A camera and a lens barrel on a wooden bench under warm lamplight.",
            "caption": (
                "A patient awaiting attention: a rangefinder with a sticky shutter and seals "
                "turned to goo."
            ),
            "credit": "Photo: Nell Hargreaves",
            "motif": "still_life",
            "palette": "autumn",
        },
        "images": [
            {
                "alt": "A camera body and a lens standing on a workbench in cool daylight.",
                "caption": (
                    "Gwen's bench between patients. Nothing is thrown away until it has been "
                    "looked at twice."
                ),
                "credit": "Photo: Nell Hargreaves",
                "motif": "still_life",
                "palette": "winter",
            },
        ],
        "related": [
            ("url", "The Second Saturday Camera Clinic", "https://example.com/camera-clinic"),
            ("article", "living-with-a-leica-m6"),
        ],
        "body": """\
Gwen Tolley's camera clinic runs on the second Saturday of every month, in the back room of a
chapel hall that also hosts a toddler group, a choir and, judging by the noticeboard, a fiercely
competitive jigsaw league. By half past ten there is a queue of about a dozen people, each
holding a camera as if it were an injured bird.

Gwen spent thirty-four years maintaining laboratory instruments at a university before she
retired. She has fixed cameras for friends for most of that time, and started the clinic, which
is free, four years ago. Donations go to the hall's roof fund. We talked between patients.

## A summer with a Russian rangefinder

**How did you start fixing cameras?**

My dad had a Russian rangefinder that stopped working when I was about fourteen. He was going to
throw it out, so I asked if I could take it apart. It took me the whole summer and it never
worked again, but I learned that there's nothing magic inside. Springs, gears, a bit of glue and
a lot of dirt. Everything since has been variations on that summer.

## Goo, springs and cotton buds

**What comes through the door most often?**

Sticky shutters and tired light seals, by a mile. The foam seals go to black goo after thirty or
forty years and people think the camera's ruined. It usually isn't. Replacing them is an hour of
patient work and costs pennies. After that it's dead batteries, or the wrong batteries, then
dirty contacts. I'd say a third of what I see is fixed with a cotton bud and a bit of isopropyl
alcohol.

![A camera body and a lens standing on a workbench in cool daylight.](image:1)

**Is there anything you won't touch?**

Plenty. I won't open a cloth shutter that someone has already had a go at with a screwdriver.
I'm wary of cameras full of electronics, because the parts simply don't exist any more. And I
always tell people when something needs a proper repairer rather than me. There are still good
ones about, and they need the work.

## Paid in scans

**Why do it for free?**

Because most of these cameras come with a story. Last month a lad brought in his grandmother's
folding camera. She'd taken it on her honeymoon. It needed a clean, a patch on the bellows and a
bit of adjustment. He shot a roll there and then in the car park and sent me the scans. You
can't charge for that. Well, you could. I'd rather have the scans.

## Before you bring one in

**What should readers do before bringing a camera in?**

- Take the batteries out if they've been in for years. Leaking batteries do more damage than
  anything else I see.
- Don't force anything. If a lever won't move, stop.
- Write down what's wrong, and what it was doing before it went wrong.
- Bring the lens cap. You would not believe how many lenses arrive naked in a coat pocket.

**And what keeps you doing it?**

The faces. Somebody walks in with a lump of metal they thought was scrap, and walks out with a
camera. There aren't many things you can do on a Saturday morning that make a person that happy,
and none of them need less equipment.

> There's nothing magic inside. Springs, gears, a bit of glue and a lot of dirt.

As I pack up, Gwen is explaining a leaf shutter to a boy of about ten, who is holding it up to
the window and watching the blades open and close. For a moment she looks as though she might be
fourteen again.

Gwen's clinic runs on the second Saturday of each month, from ten until one. Bring the camera,
the lens cap and the story.
""",
    },
    {
        "slug": "harbour-photowalk-report",
        "title": "What thirty-eight strangers saw on a harbour photowalk",
        "standfirst": (
            "Our first open photowalk drew students, a retired skipper, a toddler with a "
            "disposable camera and a golden retriever. Isla Penhallow reports from a grey morning "
            "in Newlyn that turned out rather well."
        ),
        "category": "community",
        "author": "isla-penhallow",
        "tags": ["Community", "Photowalks", "Street"],
        "days_ago": 79,
        "hero": {
            "alt": "A harbour at dusk, a low sun over calm water beside a dark headland.",
            "caption": (
                "The end of the walk, from the old quay. Half the group were still photographing "
                "the same bollard."
            ),
            "credit": "Photo: Isla Penhallow",
            "motif": "sea",
            "palette": "harbour",
        },
        "images": [
            {
                "alt": "Terraced houses climbing a hill at dusk, their windows glowing.",
                "caption": (
                    "The streets behind the harbour, where the group slowed to a pace of about "
                    "one house an hour."
                ),
                "credit": "Photo: Isla Penhallow",
                "motif": "street",
                "palette": "dusk",
            },
        ],
        "related": [
            (
                "url",
                "Frame & Grain photowalks: dates and sign-up",
                "https://example.com/photowalks",
            ),
            ("article", "one-lens-one-weekend"),
        ],
        "body": """\
We expected about a dozen people. We printed twenty name badges, just in case. At ten o'clock on
a grey Sunday in March, thirty-eight people were standing by the fish market in Newlyn, along
with one golden retriever, who did not need a badge but got one anyway.

The idea of the Frame & Grain photowalks is simple. We pick a place, a start time and a rough
route, then walk slowly for two hours and stop wherever anyone wants to. There is no theme, no
competition and no teaching unless somebody asks. Anyone with any camera is welcome. This was
the first walk we had advertised beyond our own readers, and we had no idea who would turn up.

## Who came

A quick count from the sign-in sheet, because Nell insisted:

- Nine people with film cameras, from a battered Olympus compact to a twin-lens reflex that drew
  admiring looks all morning.
- Sixteen with digital cameras of every kind.
- Eleven with phones, several of whom apologised for it. Nobody should.
- One toddler with a disposable camera, and a very patient father.
- One retired skipper, Des, who came to see what we were doing on his quay and stayed for the
  whole route.

![Terraced houses climbing a hill at dusk, their windows glowing.](image:1)

## What they saw

We walked from the fish market along the harbour, up through the narrow streets behind it and
back down to the old quay. It took two and a half hours to cover about a mile.

What struck me, looking at the pictures people sent in afterwards, was how little overlap there
was. Thirty-eight people walked the same mile at the same pace, and almost nobody photographed
the same thing. A student from Falmouth spent twenty minutes on the reflections in a single
puddle. A couple from Hayle photographed only doors. The toddler's disposable, developed later
that week, held twenty-four frames of the golden retriever and three of the sky.

Des, who had never owned a camera, borrowed a phone and photographed the boat he used to
skipper, moored where it has been since he sold it. He said he had never seen it from the quay
before, only from on board.

> I've looked at this harbour every day for sixty years. First time I've seen it.

## What we learned

Running a walk for thirty-eight is different from running one for twelve. A few lessons for next
time, and for anyone thinking of organising their own:

- **Split into smaller groups.** Two or three walk leaders, each with a copy of the route, keep
  things relaxed and the pavements clear.
- **Ask before photographing people at work.** The fish market traders were generous, but it is
  their workplace, not a backdrop.
- **Plan a café stop.** Ours was unplanned, and we very nearly emptied a small bakery of pasties.
- **Make sharing easy, and optional.** We set up an email address for people to send in three
  favourites. About half did, and that was plenty.

## Next time

The next walk will be in St Ives in late spring, and we will cap it at thirty so that we can
still hear each other. Des has asked whether he can lead part of the route. We said yes before
he had finished asking.

If you would like to run a Frame & Grain photowalk in your own town, write to us. All you need
is a route, a start time and a willingness to walk more slowly than feels natural.
""",
    },
    {
        "slug": "split-grade-printing",
        "status": "draft",
        "title": "Split-grade printing without the mystery",
        "standfirst": (
            "Two exposures, two filters and one print that finally looks like what you saw. A "
            "gentle introduction for anyone with variable-contrast paper and a little patience."
        ),
        "category": "film-and-darkroom/developing",
        "author": "isla-penhallow",
        "tags": ["Darkroom", "Black and white", "Printing"],
        "days_ago": -12,
        "hero": {
            "alt": "A row of test prints drying on a line in a darkroom lit by a red lamp.",
            "caption": (
                "Test strips from a Thursday evening at the net loft. Soft exposure first, then "
                "hard."
            ),
            "credit": "Photo: Isla Penhallow",
            "motif": "darkroom",
            "palette": "studio",
        },
        "images": [],
        "related": [
            ("article", "developing-your-first-black-and-white-roll"),
            (
                "url",
                "Photographic paper on Wikipedia",
                "https://en.wikipedia.org/wiki/Photographic_paper",
            ),
        ],
        "body": """\
If you have started printing in a darkroom, you will have met variable-contrast paper: a single
box of paper whose contrast you control with coloured filters in the enlarger. Lower-numbered
filters give a softer print, higher-numbered filters a harder one. Most people begin by choosing
one filter for each print, usually grade 2 or 3, and adjusting from there.

Split-grade printing takes a different route. Instead of one exposure through one filter, you
make two: one through the softest filter, which mostly sets the highlights, and one through the
hardest, which mostly sets the shadows. Adjust the two exposures separately and you have
independent control over both ends of the tonal scale.

It sounds complicated. It is actually the opposite, and I wish someone had shown me years ago.

## Why it helps

With a single filter, changing the contrast also shifts the overall density, so you end up
chasing the print back and forth: a bit harder, now it's too dark; a bit less time, now the
highlights are grey. Split-grade separates the decisions. You set the highlights first, then add
the blacks, and each adjustment mostly stays where you put it.

## What you need

Nothing new, if you already print: an enlarger with a filter drawer or a colour head, a set of
variable-contrast filters, the paper and a timer you trust. A second timer, or a patient friend
calling out the seconds, makes it easier to keep the two exposures straight. Everything else is
the same as for ordinary printing: three trays, a safelight and an evening in which you don't
feel hurried.

## A first session

1. **Make a soft test strip.** Using the softest filter, expose a test strip in steps. Choose
   the time at which the brightest important highlights first show a hint of detail.
2. **Make a hard test strip.** On a fresh sheet, give the whole strip that soft exposure, then
   make a second stepped strip across it through the hardest filter. Choose the step where the
   shadows are properly black but still hold the detail you care about.
3. **Print.** Give a full sheet both exposures, and look at it in good light once it is fixed.
4. **Adjust.** Highlights too grey? Reduce the soft exposure. Shadows muddy? Add hard exposure.
   Change one thing at a time.

## Dodging and burning, now with choices

The second pleasure of split-grade printing is local control. You can burn in a sky during the
soft exposure to add tone without harshness, or hold back a face during the hard exposure to
keep it luminous while the background goes deep. It feels like having two pencils instead of
one.

## A few cautions

- Filter sets vary. Check the paper maker's guidance on which filters to use and how they affect
  printing times.
- Keep notes on the back of every test print: soft time, hard time, aperture and any dodging.
- Don't expect miracles from a thin negative. Split-grade helps you make the most of what is
  there; it cannot invent detail that isn't.

> Editor's note: photographs of Isla's test strips to follow. Nell to check the filter advice
> against the current paper data sheets before this goes out.
""",
    },
    {
        "slug": "medium-format-on-a-budget",
        "title": "Medium format on a budget: four ways in",
        "standfirst": (
            "Bigger negatives need not mean bigger bills. Dev Malhotra rounds up four affordable "
            "routes into 120 film, from a folding camera that fits a coat pocket to a plastic box "
            "with a wobbly lens."
        ),
        "category": "cameras/medium-format",
        "author": "dev-malhotra",
        "tags": ["Medium format", "120 film", "Buying guide"],
        "days_ago": -4,
        "hero": {
            "alt": "A camera body and a lens on a table in soft, greenish window light.",
            "caption": (
                "None of the cameras in this piece cost more than a good digital lens. Most cost "
                "a great deal less."
            ),
            "credit": "Photo: Dev Malhotra",
            "motif": "still_life",
            "palette": "moor",
        },
        "images": [
            {
                "alt": "A headland and a calm blue sea under a bright sky.",
                "caption": (
                    "A single frame from a folding camera older than its owner, scanned without "
                    "any sharpening."
                ),
                "credit": "Photo: Dev Malhotra",
                "motif": "sea",
                "palette": "coast",
            },
        ],
        "related": [
            ("article", "pentax-67-on-the-dark-peak"),
            ("url", "Medium format on Wikipedia", "https://en.wikipedia.org/wiki/Medium_format"),
        ],
        "body": """\
After Nell's piece on carrying a Pentax 67 across the moors, our inbox filled with a single
question: is there a cheaper way to try medium format? There is. In fact there are several, and
each teaches you something different about working with 120 film.

What they have in common is the negative. Even the smallest medium-format frame is more than
twice the area of a 35mm one, which means finer grain, smoother tones and prints that hold
together at sizes that would strain a 35mm negative. Where they differ is in how you get there.

## 1. The twin-lens reflex

A twin-lens reflex, or TLR, has two lenses stacked one above the other: one for viewing and one
for taking the picture. You look down into a bright ground glass at waist level, which changes
both how you hold the camera and how people react to it. Subjects look at you, not into a lens.

Affordable TLRs were made by many companies over several decades, from cheap and cheerful to
very fine indeed. Look for a clean taking lens, a shutter that fires accurately at every speed
and a focusing knob that turns smoothly.

**Best for:** portraits, square compositions and anyone who enjoys a slower, more deliberate way
of working.

## 2. The folding camera

Folding cameras carry a lens and shutter on a bellows that collapses into a slim body. Many fit
in a coat pocket, and some produce beautifully sharp 6x6 or 6x9 negatives.

The catch is age. Bellows develop pinholes, older lenses may be uncoated, and focusing is often
by estimation unless the camera has a rangefinder. Check the bellows with a torch in a dark
room, and expect to shoot a test roll or two.

**Best for:** walkers, travellers and anyone who wants medium format without the weight.

![A headland and a calm blue sea under a bright sky.](image:1)

## 3. The 645 system camera

Cameras that shoot 6x4.5 frames give you fifteen or sixteen exposures a roll and handle much
like a familiar SLR, with interchangeable lenses and often a metered prism. Several systems from
the 1970s and 1980s have become quite affordable, though lenses and accessories for some of them
remain pricey.

**Best for:** people coming from 35mm SLRs who want a gentle transition.

## 4. The plastic camera

At the other end of the scale, a plastic toy camera with a single-element lens offers medium
format for the price of a few rolls of film. Expect vignetting, light leaks and soft edges, all
of which are flaws or features depending on your mood. Run black tape along the seams of the
back before you start.

**Best for:** experiments, fun, and finding out whether you enjoy 120 at all before spending more.

## Before you buy any of them

A few points apply whatever you choose:

- Check that the camera takes 120 film. Some old cameras use formats that are no longer made.
- Budget for developing and scanning, which cost more per frame than 35mm.
- Buy from someone who offers a returns period, or be ready to treat your first purchase as an
  education.

Medium format rewards patience more than money. Start small, learn what you like, and let the
negatives tell you which way to go next.
""",
    },
]
