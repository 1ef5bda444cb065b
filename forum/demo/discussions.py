"""Reader discussions for the demo magazine (original writing about an imaginary magazine).

Each thread is a list of (ref, reply_to, who, text) rows in the order they were written.
`reply_to` names an earlier ref, or None for a new thread. `who` is a guest's name, or
"@author" for the article's author, or "member:<name>" for a demo member account. A text
that starts with "[pending] " is held for moderation.
"""

AUTHOR = "@author"

THREADS = {
    "living-with-a-leica-m6": [
        (
            "a",
            None,
            "Priya Anand",
            "The bit about nearly selling it to pay for a boiler repair made me laugh, because I did sell mine for exactly that reason in 2014. I still miss the shutter sound more than the camera.",
        ),
        (
            "a1",
            "a",
            AUTHOR,
            "Boilers have ended more camera romances than any new model ever did. Did you replace it with anything, or go without for a while?",
        ),
        (
            "a2",
            "a1",
            "Priya Anand",
            "An Olympus XA for two years, which turned out to be a lovely lesson in not fussing. Then a Bessa R when prices were still sane.",
        ),
        (
            "a3",
            "a2",
            "Tomasz Wierzba",
            "The Bessa R is underrated. Same lenses, a quieter shutter than people expect, and nobody looks twice at it in a market.",
        ),
        (
            "a4",
            "a3",
            "Priya Anand",
            "Exactly that. The M6 attracted conversations I did not always want; the Bessa lets me disappear.",
        ),
        (
            "a5",
            "a3",
            AUTHOR,
            "That invisibility point deserves its own article. Would either of you write 300 words on it for the letters page?",
        ),
        (
            "b",
            None,
            "Grace Okafor",
            "Genuine question from someone saving up: is the light meter reliable enough to trust for slide film, or do you carry a handheld as well?",
        ),
        (
            "b1",
            "b",
            AUTHOR,
            "For slide I meter off something mid-grey in the same light and trust it. The meter reads a fairly tight centre area, so it rewards pointing it deliberately rather than at the whole scene.",
        ),
        (
            "b2",
            "b1",
            "Ewan Lindqvist",
            "Agree with Dev. My only misses on E6 came from metering a bright sky by accident. Tilt down, lock it in your head, recompose.",
        ),
        (
            "b3",
            "b2",
            "Grace Okafor",
            "That is reassuring, thank you both. I will practise on a roll of cheap colour negative first.",
        ),
        (
            "b4",
            "b",
            "Hamish Reid",
            "I carry a small handheld for incident readings in mixed light, but honestly it lives in the bag most days.",
        ),
        (
            "c",
            None,
            "Marisol Duarte",
            "Ten years is a long time with one camera. Did your way of framing change, or did the camera simply fit how you already saw?",
        ),
        (
            "c1",
            "c",
            AUTHOR,
            "It changed. I used to frame tight; the 35mm frame lines taught me to leave air around people. I only noticed when I looked at contact sheets side by side.",
        ),
        (
            "c2",
            "c1",
            "Noor Haddad",
            "Contact sheets side by side is such a good habit. I did it with five years of my own and found I had stopped photographing faces almost entirely.",
        ),
        (
            "c3",
            "c2",
            "Marisol Duarte",
            "That is a slightly haunting discovery. Did you start again on purpose?",
        ),
        (
            "c4",
            "c3",
            "Noor Haddad",
            "On purpose, badly at first. A portrait a week for a year. The last twenty were the first I liked.",
        ),
        (
            "d",
            None,
            "Lena Vogt",
            "Small correction: the M6 TTL came later than the article suggests, if I remember the catalogue right. Happy to be wrong.",
        ),
        (
            "d1",
            "d",
            AUTHOR,
            "You are right, thank you. I mixed up the year of the catalogue with the year of launch. The article is fixed now.",
        ),
        (
            "d2",
            "d1",
            "Lena Vogt",
            "Thanks for the quick fix. Corrections done gracefully are one reason I read this magazine.",
        ),
        (
            "e",
            None,
            "Callum Price",
            "Anyone had the rangefinder patch go dim? Mine has faded over winter and I am not sure whether to send it off or live with it.",
        ),
        (
            "e1",
            "e",
            "Tomasz Wierzba",
            "Mine went dim in year eight. A cleaning of the front windows helped more than I expected before I paid for anything.",
        ),
        (
            "e2",
            "e1",
            "Callum Price",
            "I will try that first. Cotton buds and patience, presumably.",
        ),
        (
            "e3",
            "e2",
            "Aiko Tanaka",
            "And a blower before anything touches the glass. Grit plus a cotton bud makes fine scratches.",
        ),
        (
            "e4",
            "e3",
            "Callum Price",
            "Noted. Blower, then bud, then patience. Reporting back next week.",
        ),
        (
            "e5",
            "e3",
            "Callum Price",
            "Reporting back: much brighter. Not new, but brighter than it has been since I bought it.",
        ),
        (
            "f",
            None,
            "Rosa Bianchi",
            "I love that you admit the two near-sales. Most camera writing pretends the writer never doubts.",
        ),
        (
            "f1",
            "f",
            AUTHOR,
            "The doubts are the interesting part. A camera nobody ever thinks of selling is probably one nobody uses.",
        ),
        (
            "g",
            None,
            "Femi Adeyemi",
            "Which lens lives on it most of the time? The article mentions three, but I suspect one of them does the work.",
        ),
        (
            "g1",
            "g",
            AUTHOR,
            "The 35 does ninety per cent. The 50 comes out for portraits, the 90 mostly for feeling optimistic.",
        ),
        (
            "g2",
            "g1",
            "Femi Adeyemi",
            "Feeling optimistic is the truest description of a 90 on a rangefinder I have read.",
        ),
        (
            "g3",
            "g2",
            "Jonas Berg",
            "Mine went to a friend who actually uses it. Best decision I made about that lens.",
        ),
        (
            "h",
            None,
            "Clara Mendes",
            "Would be good to read a follow-up on servicing costs over the decade. It helps people budget honestly.",
        ),
        (
            "h1",
            "h",
            AUTHOR,
            "Two services and one shutter curtain in ten years. I will total the receipts and put it in a follow-up.",
        ),
        (
            "h2",
            "h1",
            "Owen Talbot",
            "Please include waiting times too. Mine was away for four months last time.",
        ),
        (
            "i",
            None,
            "Yusuf Demir",
            "Shot my first roll through a borrowed M6 this weekend after reading this. Half the frames are out of focus and I am delighted.",
        ),
        (
            "i1",
            "i",
            "Priya Anand",
            "Half in focus on a first rangefinder roll is a very good score.",
        ),
        ("i2", "i1", "Yusuf Demir", "I will take it. Second roll loaded already."),
        (
            "i3",
            "i",
            AUTHOR,
            "Welcome to the habit. Focus at the distance you expect before you raise the camera and the ratio improves quickly.",
        ),
        (
            "j",
            None,
            "Hamish Reid",
            "Film prices make me think twice about every frame now, which might be no bad thing.",
        ),
        ("j1", "j", "Grace Okafor", "Same. I shoot fewer frames and keep more of them."),
        (
            "j2",
            "j1",
            "Ewan Lindqvist",
            "Bulk loading helps a little, if you can put up with the fiddly bit in the changing bag.",
        ),
        (
            "k",
            None,
            "Noor Haddad",
            "[pending] Does anyone know a repairer in the north-east who still works on these? Mine needs a new top plate window.",
        ),
        (
            "l",
            None,
            "Lena Vogt",
            "[pending] A plea for the next article: the M6 against the M4-P, as a working camera rather than a collector's piece.",
        ),
        (
            "m",
            None,
            "Aiko Tanaka",
            "The photographs with the piece are lovely. The harbour frame in particular has exactly the light the text describes.",
        ),
    ],
    "developing-your-first-black-and-white-roll": [
        (
            "a",
            None,
            "Owen Talbot",
            "Followed this last night with a roll of HP5. Negatives are a bit thin but every frame is there. Thank you for making it feel possible.",
        ),
        (
            "a1",
            "a",
            AUTHOR,
            "Thin usually means a little under-developed or under-exposed. If the edge markings are strong, look at exposure first.",
        ),
        (
            "a2",
            "a1",
            "Owen Talbot",
            "Edge markings are nice and dark, so it was me and the meter. Good to know where to look.",
        ),
        (
            "b",
            None,
            "Clara Mendes",
            "How long do you keep mixed fixer? I have a litre going since September.",
        ),
        (
            "b1",
            "b",
            "Jonas Berg",
            "Test a clip of film leader in it: if it clears in more than twice the fresh time, it is done.",
        ),
        ("b2", "b1", "Clara Mendes", "That is a lovely practical test. Doing it tonight."),
        (
            "c",
            None,
            "Yusuf Demir",
            "The kitchen sink setup is exactly what I needed to hear. I kept thinking I needed a proper darkroom first.",
        ),
        (
            "c1",
            "c",
            "member:Rafe Collins",
            "Same here. A changing bag, a tank and a thermometer got me through my first twenty rolls.",
        ),
        (
            "d",
            None,
            "Femi Adeyemi",
            "[pending] Which stop bath would you recommend for someone sensitive to strong smells?",
        ),
    ],
    "helios-44-swirly-bokeh": [
        (
            "a",
            None,
            "Ewan Lindqvist",
            "The swirl is strongest with a busy background a few metres behind the subject, in my experience. Leaves are ideal.",
        ),
        (
            "a1",
            "a",
            AUTHOR,
            "Yes, and shooting wide open at close distances. Stop down to 4 and it becomes a very ordinary lens, in the best sense.",
        ),
        (
            "b",
            None,
            "Rosa Bianchi",
            "Mine has a stiff focus ring. Worth regreasing myself, or is that a job for a repairer?",
        ),
        (
            "b1",
            "b",
            "member:Rafe Collins",
            "I did mine with a cheap kit and a lot of photographs of each step. Mark the helicoid entry point before you separate it.",
        ),
        (
            "b2",
            "b1",
            "Rosa Bianchi",
            "Marking the entry point is the tip I would never have thought of. Thank you.",
        ),
        ("c", None, "Callum Price", "Is it sacrilege to say I prefer the look of it stopped down?"),
    ],
    "harbour-photowalk-report": [
        (
            "a",
            None,
            "Marisol Duarte",
            "I was there, on the far end of the pier with the red coat. It was a wonderful morning; thank you for organising it.",
        ),
        (
            "a1",
            "a",
            AUTHOR,
            "The red coat is in three other people's photographs. You were the unofficial subject of the day.",
        ),
        (
            "b",
            None,
            "Hamish Reid",
            "Any plans for a walk further north next year? Happy to help organise.",
        ),
    ],
}

MEMBERS = {"Rafe Collins": "rafe.collins@frameandgrain.test"}
# What the demo members show on their public profile pages (/members/<username>/).
PROFILES = {
    "Rafe Collins": {
        "bio": "Ferry engineer by day. Shoots a battered Pentax on the crossings and develops "
        "at the kitchen sink; still learning to love grain.",
        "website": "https://rafe.example.net/",
        "public_profile": True,
    }
}
