"""Badge images (Pillow): one per achievement, and "baked" copies that carry a credential.

Baking (Open Badges 3.0, section 5.3.1): the PNG gets an ``iTXt`` chunk with the keyword
``openbadgecredential``, no compression, holding the credential itself (here the compact
VC-JWT), so the image alone is the verifiable credential for a wallet or a CV.
"""

import io
from functools import cache

from PIL import Image, ImageDraw, PngImagePlugin

from .models import Achievement

SIZE = 512
COLOURS = {
    Achievement.SESSIONS_10: ("#1d4e89", "#f2c14e"),
    Achievement.COOKING_LEADER: ("#a23b2a", "#f6e7cb"),
    Achievement.CO_LEADER: ("#2e7d5b", "#f6f1e7"),
    Achievement.ATTESTATION: ("#3d3a6b", "#f6f1e7"),
}
BAKING_KEYWORD = "openbadgecredential"


def _mark(draw: ImageDraw.ImageDraw, key: str, colour: str) -> None:
    """A simple pictogram, no text (the image says the same in every language)."""
    centre = SIZE // 2
    if key == Achievement.SESSIONS_10:
        for row in range(2):
            for column in range(5):
                x = centre - 150 + column * 75
                y = centre - 45 + row * 90
                draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=colour)
    elif key == Achievement.COOKING_LEADER:
        draw.ellipse((centre - 120, centre - 40, centre + 120, centre + 110), fill=colour)
        draw.rectangle((centre + 110, centre + 10, centre + 190, centre + 35), fill=colour)
        for offset in (-60, 0, 60):
            draw.line((centre + offset, centre - 130, centre + offset, centre - 60),
                      fill=colour, width=14)
    elif key == Achievement.CO_LEADER:
        for offset in (-70, 70):
            draw.ellipse((centre + offset - 45, centre - 120, centre + offset + 45,
                          centre - 30), fill=colour)
            draw.pieslice((centre + offset - 85, centre - 10, centre + offset + 85,
                           centre + 160), 180, 360, fill=colour)
    else:
        draw.rectangle((centre - 110, centre - 140, centre + 110, centre + 140),
                       outline=colour, width=16)
        for line in range(4):
            y = centre - 80 + line * 50
            draw.line((centre - 70, y, centre + 70, y), fill=colour, width=12)


@cache
def achievement_png(key: str) -> bytes:
    ring, paper = COLOURS.get(key, ("#333333", "#ffffff"))
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=ring)
    draw.ellipse((40, 40, SIZE - 40, SIZE - 40), fill=paper)
    _mark(draw, key, ring)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def baked_png(key: str, credential_jwt: str) -> bytes:
    image = Image.open(io.BytesIO(achievement_png(key)))
    info = PngImagePlugin.PngInfo()
    info.add_itxt(BAKING_KEYWORD, credential_jwt, lang="", tkey="", zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def unbake(png: bytes) -> str | None:
    """The credential a baked PNG carries, or None."""
    image = Image.open(io.BytesIO(png))
    image.load()
    value = image.text.get(BAKING_KEYWORD) if hasattr(image, "text") else None
    return str(value) if value is not None else None
