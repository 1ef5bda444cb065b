"""Abstract, photograph-like pictures for the demo magazine, drawn with Pillow alone.

Every picture is deterministic: the same seed, motif and palette always give the same
bytes. A picture is painted in flat shapes, softened with blur, then given film grain and a
vignette, and returned as a progressive JPEG. They are stored like uploads, so saving them
makes the same WebP renditions (forum/articles/renditions.py) that pages offer in srcset.

    hero_jpeg("pentax-67-on-the-dark-peak", motif="hills", palette="moor")  # 1600x900
    inline_jpeg("pentax-67-on-the-dark-peak-1", motif="hills", palette="autumn")  # 1200x800
    portrait_jpeg("nell-hargreaves", ("#2f4858", "#f2c57c"), hair="bun")  # 400x400

Motifs: hills, sea, still_life, bokeh, street, darkroom, film_strip. Palettes: see PALETTES.
"""

import io
import math
import random

from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter, ImageOps

HERO_SIZE = (1600, 900)
INLINE_SIZE = (1200, 800)
PORTRAIT_SIZE = (400, 400)

# Each palette: sky top and bottom, sun, land layers from far to near, then a dark, a light
# and an accent colour that the still-life and darkroom motifs use.
PALETTES = {
    "dawn": {
        "sky": ("#5b6c9a", "#f6c7a1"),
        "sun": "#fff1d6",
        "land": ["#9a8fb0", "#6f6a92", "#474766", "#2a2b40"],
        "dark": "#24243a",
        "light": "#f6e6d2",
        "accent": "#e8916b",
    },
    "dusk": {
        "sky": ("#2b2d5c", "#f08a5d"),
        "sun": "#ffd9a0",
        "land": ["#8a4f6b", "#5e3a5e", "#3a2946", "#1d1729"],
        "dark": "#1a1524",
        "light": "#f3d3b5",
        "accent": "#f08a5d",
    },
    "moor": {
        "sky": ("#7f97a8", "#e5ddc8"),
        "sun": "#fbf3dc",
        "land": ["#a7a58e", "#817f5f", "#5b5a3d", "#3a3826"],
        "dark": "#2c2a1d",
        "light": "#eee6d0",
        "accent": "#b5793f",
    },
    "coast": {
        "sky": ("#4d8bb0", "#d9ecef"),
        "sun": "#fffbe8",
        "land": ["#8fb3b8", "#4f7f8c", "#2f5665", "#1b3440"],
        "dark": "#14262f",
        "light": "#eef5f2",
        "accent": "#e2b04a",
    },
    "winter": {
        "sky": ("#8e9bb0", "#e9e4dc"),
        "sun": "#fff6e6",
        "land": ["#c5c8cf", "#9aa0ab", "#6b7280", "#3f4450"],
        "dark": "#2b2f38",
        "light": "#f4f1ec",
        "accent": "#c97b5a",
    },
    "autumn": {
        "sky": ("#6e8fa6", "#f3d9a4"),
        "sun": "#fff0c8",
        "land": ["#c59a63", "#a0683a", "#6e4423", "#3d2614"],
        "dark": "#2a1a10",
        "light": "#f5e4c6",
        "accent": "#c4582c",
    },
    "portra": {
        "sky": ("#9fb8c8", "#f4dcc4"),
        "sun": "#fff4e2",
        "land": ["#c9b59c", "#a98e73", "#7d6553", "#4a3b33"],
        "dark": "#3a2e28",
        "light": "#f7eadb",
        "accent": "#e3a27f",
    },
    "studio": {
        "sky": ("#3e3a37", "#8c8379"),
        "sun": "#f3e7d3",
        "land": ["#6d6358", "#564d44", "#3b342e", "#221e1b"],
        "dark": "#1c1a18",
        "light": "#d9d2c5",
        "accent": "#b8452f",
    },
    "darkroom": {
        "sky": ("#120808", "#3d0f0c"),
        "sun": "#ff5a3c",
        "land": ["#5a1712", "#43110e", "#2d0b09", "#1a0605"],
        "dark": "#0d0505",
        "light": "#e9d8cc",
        "accent": "#ff6b4a",
    },
    "harbour": {
        "sky": ("#35577a", "#f2c79b"),
        "sun": "#ffe7c2",
        "land": ["#6b7b8f", "#4a5668", "#30384a", "#1a2030"],
        "dark": "#151a26",
        "light": "#f0e2cf",
        "accent": "#d9583b",
    },
}


def hero_jpeg(seed: str, *, motif: str = "hills", palette: str = "dawn") -> bytes:
    """A 1600x900 picture for the top of an article."""
    return render(seed, motif=motif, palette=palette, size=HERO_SIZE)


def inline_jpeg(seed: str, *, motif: str = "hills", palette: str = "dawn") -> bytes:
    """A 1200x800 picture for inside an article body."""
    return render(seed, motif=motif, palette=palette, size=INLINE_SIZE)


def render(seed: str, *, motif: str, palette: str, size: tuple[int, int]) -> bytes:
    """Paint `motif` in `palette` at `size`, add grain and vignette, return JPEG bytes."""
    rng = random.Random(f"{seed}:{motif}:{palette}")
    colours = PALETTES[palette]
    image = MOTIFS[motif](size, colours, rng)
    image = add_vignette(add_grain(image, rng, amount=10), strength=0.45)
    return to_jpeg(image)


def portrait_jpeg(seed: str, colours: tuple[str, str], *, hair: str = "") -> bytes:
    """A 400x400 head-and-shoulders silhouette with a camera on a strap; no face.

    `colours` is (background, figure); `hair` is "bun", "cap" or "crop" (else chosen by seed).
    """
    background, figure = colours
    rng = random.Random(f"portrait:{seed}")
    width, height = PORTRAIT_SIZE
    image = gradient(PORTRAIT_SIZE, mix(background, "#fff", 0.18), mix(background, "#000", 0.2))
    glow = soft_disc(PORTRAIT_SIZE, (width * rng.uniform(0.3, 0.7), height * 0.35), 150, 60)
    image = Image.composite(
        Image.new("RGB", PORTRAIT_SIZE, mix(background, "#fff", 0.35)), image, glow
    )
    # The figure: head, neck, shoulders and one of three hair shapes, lit from the left.
    mask = Image.new("L", PORTRAIT_SIZE, 0)
    draw = ImageDraw.Draw(mask)
    cx, head = width / 2 + rng.uniform(-16, 16), rng.uniform(58, 66)
    top = 92
    draw.ellipse((cx - head, top, cx + head, top + head * 2.2), fill=255)
    draw.rectangle((cx - head * 0.42, top + head * 2, cx + head * 0.42, top + head * 2.6), fill=255)
    draw.rounded_rectangle(
        (cx - 150, top + head * 2.45, cx + 150, height + 80), radius=90, fill=255
    )
    hair = hair or rng.choice(["bun", "cap", "crop"])
    if hair == "bun":
        draw.ellipse((cx - 30, top - 34, cx + 30, top + 22), fill=255)
    elif hair == "cap":
        draw.chord((cx - head - 4, top - 12, cx + head + 4, top + head * 1.3), 180, 360, fill=255)
        draw.rounded_rectangle(
            (cx - head - 4, top + head * 0.5, cx + head + 48, top + head * 0.68), radius=6, fill=255
        )
    else:
        draw.ellipse((cx - head - 6, top - 8, cx + head + 6, top + head * 1.4), fill=255)
    lit = ImageOps.colorize(
        Image.linear_gradient("L").rotate(90).resize(PORTRAIT_SIZE),
        mix(figure, "#000", 0.2),
        figure,
    )
    image.paste(lit, mask=mask.filter(ImageFilter.GaussianBlur(1.2)))
    # A camera hanging at the chest, on a strap from the neck.
    draw = ImageDraw.Draw(image)
    strap = mix(figure, "#000", 0.55)
    neck_y, cam_y = top + head * 2.5, height - 92
    draw.line((cx - head * 0.5, neck_y, cx - 62, cam_y), fill=strap, width=6)
    draw.line((cx + head * 0.5, neck_y, cx + 62, cam_y), fill=strap, width=6)
    body = mix(background, "#000", 0.6)
    draw.rounded_rectangle((cx - 78, cam_y - 8, cx + 78, cam_y + 70), radius=12, fill=body)
    draw.rounded_rectangle((cx - 70, cam_y - 20, cx - 30, cam_y), radius=4, fill=body)
    draw.ellipse((cx - 32, cam_y - 2, cx + 32, cam_y + 62), fill=mix(figure, "#000", 0.3))
    draw.ellipse((cx - 20, cam_y + 10, cx + 20, cam_y + 50), fill=mix(background, "#000", 0.75))
    draw.ellipse((cx - 12, cam_y + 16, cx - 3, cam_y + 25), fill=mix(figure, "#fff", 0.5))
    image = add_vignette(add_grain(image, rng, amount=8), strength=0.35)
    return to_jpeg(image)


# Motifs ---------------------------------------------------------------------------------


def hills(size, colours, rng):
    """Layered hills fading into haze under a gradient sky with a low sun."""
    width, height = size
    image = gradient(size, *colours["sky"])
    sun = (width * rng.uniform(0.2, 0.8), height * rng.uniform(0.28, 0.45))
    add_sun(image, sun, height * 0.06, colours["sun"])
    horizon = height * rng.uniform(0.5, 0.6)
    layers = colours["land"]
    for index, colour in enumerate(layers):
        depth = index / (len(layers) - 1)
        base = horizon + depth * height * 0.32
        ridge = ridge_line(width, base, height * (0.05 + 0.06 * depth), rng)
        haze = mix(colour, colours["sky"][1], 0.35 * (1 - depth))
        paint(image, [*ridge, (width, height), (0, height)], haze, blur=2.5 * (1 - depth) + 0.8)
    return image


def sea(size, colours, rng):
    """A horizon over water, the sun's path broken into ripples, a headland to one side."""
    width, height = size
    image = gradient(size, *colours["sky"])
    horizon = height * rng.uniform(0.52, 0.6)
    sun_x = width * rng.uniform(0.3, 0.7)
    add_sun(image, (sun_x, horizon - height * 0.12), height * 0.055, colours["sun"])
    water = gradient((width, height - int(horizon)), colours["land"][1], colours["land"][3])
    image.paste(water, (0, int(horizon)))
    draw = ImageDraw.Draw(image)
    for _ in range(140):
        y = rng.uniform(horizon + 4, height)
        spread = (y - horizon) / (height - horizon)
        x = sun_x + rng.gauss(0, 30 + spread * 160)
        length = rng.uniform(12, 60) * (0.5 + spread)
        shine = mix(colours["sun"], colours["land"][2], spread * 0.7)
        draw.line((x - length, y, x + length, y), fill=shine, width=max(1, int(1 + spread * 3)))
    left = rng.random() < 0.5
    edge = 0 if left else width
    far = width * rng.uniform(0.28, 0.42) * (1 if left else -1)
    headland = [(edge, horizon - height * 0.16), (edge + far * 0.4, horizon - height * 0.12)]
    headland += [(edge + far, horizon), (edge, horizon + 6)]
    paint(image, headland, colours["land"][2], blur=1.2)
    return image.filter(ImageFilter.BoxBlur(1))


def still_life(size, colours, rng):
    """A camera body and a lens or two on a table, lit from a window on one side."""
    width, height = size
    image = gradient(size, colours["sky"][1], colours["sky"][0])
    table_y = height * rng.uniform(0.58, 0.66)
    image.paste(
        gradient((width, height - int(table_y)), colours["land"][0], colours["land"][2]),
        (0, int(table_y)),
    )
    light = soft_disc(size, (width * rng.choice([0.15, 0.85]), height * 0.2), width * 0.45, 120)
    image = Image.composite(
        Image.blend(image, Image.new("RGB", size, colours["light"]), 0.35), image, light
    )
    unit = height / 900
    body_w, body_h = 520 * unit, 300 * unit
    gap, lens_w, lens_h = rng.uniform(110, 200) * unit, 190 * unit, 210 * unit
    bx = (width - body_w - gap - lens_w) / 2 + width * rng.uniform(-0.06, 0.06)
    by = table_y - body_h + 20 * unit
    # Shadow first, then body, top plate, lens rings and a glint on the glass.
    shadow = Image.new("L", size, 0)
    ImageDraw.Draw(shadow).ellipse(
        (bx - 40 * unit, table_y - 10 * unit, bx + body_w + 120 * unit, table_y + 70 * unit),
        fill=150,
    )
    image.paste(to_rgb(colours["dark"]), mask=shadow.filter(ImageFilter.GaussianBlur(30 * unit)))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (bx, by, bx + body_w, by + body_h), radius=40 * unit, fill=colours["dark"]
    )
    draw.rounded_rectangle(
        (bx + 10 * unit, by - 50 * unit, bx + body_w - 10 * unit, by + 40 * unit),
        radius=26 * unit,
        fill=mix(colours["light"], colours["dark"], 0.45),
    )
    draw.rounded_rectangle(
        (bx + 60 * unit, by - 80 * unit, bx + 150 * unit, by - 40 * unit),
        radius=10 * unit,
        fill=mix(colours["light"], colours["dark"], 0.55),
    )
    lx, ly = bx + body_w * 0.52, by + body_h * 0.58
    for radius, shade in ((170, 0.2), (140, 0.55), (112, 0.1), (78, 0.0)):
        r = radius * unit
        draw.ellipse(
            (lx - r, ly - r, lx + r, ly + r), fill=mix(colours["dark"], colours["light"], shade)
        )
    glass = mix(colours["accent"], colours["dark"], 0.55)
    draw.ellipse((lx - 62 * unit, ly - 62 * unit, lx + 62 * unit, ly + 62 * unit), fill=glass)
    draw.ellipse(
        (lx - 34 * unit, ly - 44 * unit, lx - 6 * unit, ly - 20 * unit), fill=colours["light"]
    )
    # A spare lens standing on its rear cap to the right: a barrel with grip bands.
    sx = bx + body_w + gap
    top = table_y - lens_h
    draw.rectangle((sx, top, sx + lens_w, table_y), fill=colours["dark"])
    for band in range(6):
        y = top + (30 + band * 16) * unit
        draw.rectangle(
            (sx, y, sx + lens_w, y + 7 * unit), fill=mix(colours["dark"], colours["light"], 0.3)
        )
    draw.rectangle(
        (sx + 8 * unit, top + 150 * unit, sx + lens_w - 8 * unit, top + 158 * unit),
        fill=colours["accent"],
    )
    draw.ellipse(
        (sx, top - 28 * unit, sx + lens_w, top + 28 * unit),
        fill=mix(colours["dark"], colours["light"], 0.5),
    )
    draw.ellipse(
        (sx + 22 * unit, top - 18 * unit, sx + lens_w - 22 * unit, top + 18 * unit), fill=glass
    )
    return image.filter(ImageFilter.BoxBlur(1))


def bokeh(size, colours, rng):
    """Out-of-focus lights: soft discs of colour over a dark, graded background."""
    width, height = size
    image = gradient(size, colours["dark"], mix(colours["land"][2], colours["dark"], 0.3))
    tones = [colours["sun"], colours["accent"], colours["light"], colours["land"][0]]
    for layer, (count, blur) in enumerate(((18, 14), (14, 5), (8, 2))):
        lights = Image.new("RGB", size, "#000000")
        mask = Image.new("L", size, 0)
        draw_lights, draw_mask = ImageDraw.Draw(lights), ImageDraw.Draw(mask)
        for _ in range(count):
            r = rng.uniform(30, 95) * (1 + layer * 0.3) * height / 900
            x, y = rng.uniform(0, width), height * (0.5 + rng.gauss(0, 0.22))
            draw_lights.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(tones))
            draw_mask.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(50, 140))
            draw_mask.ellipse(
                (x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9), fill=rng.randint(40, 110)
            )
        image.paste(lights, mask=mask.filter(ImageFilter.GaussianBlur(blur * height / 900)))
    return image


def street(size, colours, rng):
    """Terraced rooftops and chimneys against a late sky, a few windows lit."""
    width, height = size
    image = gradient(size, *colours["sky"])
    add_sun(image, (width * rng.uniform(0.15, 0.85), height * 0.42), height * 0.05, colours["sun"])
    for row, colour in enumerate(colours["land"][1:]):
        base = height * (0.52 + row * 0.13)
        draw = ImageDraw.Draw(image)
        x = -rng.uniform(0, 80)
        while x < width:
            w = rng.uniform(110, 240) * height / 900
            top = base - rng.uniform(40, 150) * height / 900
            draw.rectangle((x, top, x + w, height), fill=colour)
            draw.polygon([(x - 6, top), (x + w / 2, top - w * 0.28), (x + w + 6, top)], fill=colour)
            if rng.random() < 0.6:
                cx = x + rng.uniform(0.2, 0.8) * w
                draw.rectangle((cx, top - w * 0.4, cx + 16, top), fill=colour)
            for _ in range(rng.randint(0, 3)):
                wx, wy = x + rng.uniform(0.15, 0.7) * w, top + rng.uniform(30, 120)
                lit = mix(colours["sun"], colour, rng.uniform(0.1, 0.6))
                draw.rectangle((wx, wy, wx + 22, wy + 30), fill=lit)
            x += w + rng.uniform(0, 12)
    return image.filter(ImageFilter.BoxBlur(1))


def darkroom(size, colours, rng):
    """Prints hanging to dry on a line under a red safelight."""
    width, height = size
    image = gradient(size, *colours["sky"])
    glow = soft_disc(size, (width * rng.uniform(0.6, 0.85), height * 0.12), height * 0.5, 90)
    image.paste(to_rgb(colours["accent"]), mask=glow.point(lambda v: v * 3 // 5))
    draw = ImageDraw.Draw(image)
    line_y = height * 0.22
    draw.line((0, line_y, width, line_y + 18), fill=colours["land"][0], width=3)
    x = width * 0.06
    while x < width * 0.9:
        w, h = rng.uniform(0.16, 0.22) * width, rng.uniform(0.32, 0.42) * height
        y = line_y + (x / width) * 18 + 10
        paper = mix(colours["light"], colours["sky"][1], 0.55)
        draw.rectangle((x + 12, y + 12, x + w + 12, y + h + 12), fill=colours["dark"])
        draw.rectangle((x, y, x + w, y + h), fill=paper)
        print_size = (int(w * 0.84), int(h * 0.8))
        scene = hills(print_size, PALETTES["winter"], rng).convert("L")
        scene = ImageOps.colorize(scene, colours["dark"], paper)
        image.paste(scene, (int(x + w * 0.08), int(y + h * 0.08)))
        draw.rectangle((x + w * 0.4, y - 14, x + w * 0.6, y + 10), fill=colours["land"][1])
        x += w + rng.uniform(0.03, 0.07) * width
    return image.filter(ImageFilter.BoxBlur(1))


def film_strip(size, colours, rng):
    """A strip of colour negatives lying slightly askew on a lightbox."""
    width, height = size
    image = gradient(size, "#fbf8f0", "#e4ddd0")
    strip_w, strip_h = width + 300, int(height * 0.5)
    strip = Image.new("RGBA", (strip_w, strip_h), "#d7924e")
    draw = ImageDraw.Draw(strip)
    hole_w, hole_h = strip_h * 0.05, strip_h * 0.07
    for x in range(0, strip_w, int(hole_w * 2.2)):
        for y in (strip_h * 0.04, strip_h * 0.89):
            draw.rounded_rectangle((x, y, x + hole_w, y + hole_h), radius=3, fill="#fbf8f0")
    frame_w, frame_h = int(strip_h * 1.15), int(strip_h * 0.72)
    for x in range(20, strip_w, frame_w + 24):
        scene = ImageOps.autocontrast(hills((frame_w, frame_h), colours, rng), cutoff=1)
        orange = Image.new("RGB", scene.size, "#d98c43")
        strip.paste(Image.blend(ImageOps.invert(scene), orange, 0.3), (x, int(strip_h * 0.14)))
    angle = rng.uniform(3, 7) * rng.choice([-1, 1])
    strip = strip.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    shadow = Image.new("RGBA", strip.size, (60, 50, 40, 0))
    shadow.putalpha(
        strip.getchannel("A").point(lambda v: v // 3).filter(ImageFilter.GaussianBlur(14))
    )
    left, top = -150, (height - strip.height) // 2 + int(rng.uniform(-30, 30))
    image.paste(shadow, (left + 12, top + 16), shadow)
    image.paste(strip, (left, top), strip)
    return image


MOTIFS = {
    "hills": hills,
    "sea": sea,
    "still_life": still_life,
    "bokeh": bokeh,
    "street": street,
    "darkroom": darkroom,
    "film_strip": film_strip,
}


# Painting helpers ----------------------------------------------------------------------


def mix(a: str | tuple, b: str | tuple, amount: float) -> tuple[int, int, int]:
    """The colour `amount` of the way from a to b."""
    a, b = to_rgb(a), to_rgb(b)
    return tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))


def to_rgb(colour: str | tuple) -> tuple[int, int, int]:
    if isinstance(colour, tuple):
        return colour
    return ImageColor.getrgb(colour)[:3]


def gradient(size: tuple[int, int], top, bottom) -> Image.Image:
    """A vertical gradient from `top` to `bottom`."""
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(ramp, to_rgb(top), to_rgb(bottom))


def soft_disc(size, centre, radius, blur) -> Image.Image:
    """A blurred white disc on black, for use as a mask.

    Drawn and blurred at a quarter of the size, then enlarged: a soft edge loses nothing.
    """
    small = (max(1, size[0] // 4), max(1, size[1] // 4))
    mask = Image.new("L", small, 0)
    x, y, r = centre[0] / 4, centre[1] / 4, radius / 4
    ImageDraw.Draw(mask).ellipse((x - r, y - r, x + r, y + r), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(blur / 4))
    return mask.resize(size, Image.Resampling.BILINEAR)


def add_sun(image: Image.Image, centre, radius, colour) -> None:
    """A bright disc with a wide halo, painted in place."""
    halo = soft_disc(image.size, centre, radius * 3.5, radius * 2.5).point(lambda v: v * 2 // 3)
    image.paste(to_rgb(colour), mask=halo)
    x, y = centre
    disc = Image.new("L", image.size, 0)
    ImageDraw.Draw(disc).ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    image.paste(to_rgb(colour), mask=disc.filter(ImageFilter.BoxBlur(1.5)))


def ridge_line(width: int, base: float, amplitude: float, rng) -> list[tuple[float, float]]:
    """Points along a hill line: a few sine waves of random phase added together."""
    waves = [(rng.uniform(0.5, 3), rng.uniform(0, math.tau), rng.uniform(0.4, 1)) for _ in range(3)]
    waves += [
        (rng.uniform(5, 14), rng.uniform(0, math.tau), rng.uniform(0.05, 0.15)) for _ in range(3)
    ]
    total = sum(weight for _, _, weight in waves)
    points = []
    for step in range(0, 161):
        x = width * step / 160
        t = x / width * math.tau
        y = sum(weight * math.sin(freq * t + phase) for freq, phase, weight in waves) / total
        points.append((x, base - amplitude * (y + 1)))
    return points


def paint(image: Image.Image, polygon, colour, *, blur: float = 0) -> None:
    """Fill `polygon` with `colour`, its edge softened by `blur` pixels."""
    width, height = image.size
    top = max(0, int(min(y for _, y in polygon) - 3 * blur - 2))  # work only below the shape
    mask = Image.new("L", (width, height - top), 0)
    ImageDraw.Draw(mask).polygon([(x, y - top) for x, y in polygon], fill=255)
    if blur:
        mask = mask.filter(ImageFilter.BoxBlur(blur))
    image.paste(to_rgb(colour), (0, top, width, height), mask)


def add_grain(image: Image.Image, rng, *, amount: int) -> Image.Image:
    """Monochrome film grain: seeded noise, clumped by drawing it at half size."""
    width, height = image.size
    half = (width // 2, height // 2)
    noise = Image.frombytes("L", half, rng.randbytes(half[0] * half[1]))
    noise = noise.resize(image.size, Image.Resampling.BILINEAR)
    # Map 0..255 noise to 128 ± amount, then add it (less 128) to every channel.
    noise = noise.point(lambda v: 128 + (v - 128) * amount // 128)
    grain = Image.merge("RGB", (noise, noise, noise))
    return ImageChops.add(image, grain, scale=1.0, offset=-128)


def add_vignette(image: Image.Image, *, strength: float) -> Image.Image:
    """Darken the corners, as an old lens does."""
    radial = Image.radial_gradient("L").resize(image.size, Image.Resampling.BILINEAR)
    mask = radial.point(lambda v: int(max(0, v - 90) / 165 * 255 * strength))
    image.paste((0, 0, 0), mask=mask)
    return image


def to_jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=82, progressive=True, optimize=True)
    return buffer.getvalue()
