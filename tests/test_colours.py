"""State colours that every reader can tell apart and see against the white figure background.

- Contrast: WCAG 2.1 asks 3:1 of graphical objects such as chart lines (success criterion 1.4.11).
- Distinctness: CIEDE2000 colour difference between two states' colours, in normal vision and after simulating
  deuteranopia and protanopia with the matrices of Machado, Oliveira and Fernandes (2009, severity 1.0), which act
  on linear RGB. A difference of about 10 is easy to tell apart side by side in a legend; 2 is barely visible.
"""

import itertools
import math

import pytest

from utils.read.plots import COUNTRY_COLOURS

#: The states whose colours were chosen for contrast and for colour-blind readers (the other treaty states keep
#: Paul Tol's colours; see utils/plots).
CHOSEN = ("ARM", "KAZ")
#: The least CIEDE2000 difference a chosen colour keeps from every other state's colour, in every kind of vision.
MIN_DIFFERENCE = 9.0
#: States drawn in the same colour on purpose: SIPRI lists the Soviet Union as Russia's predecessor supplier.
SAME_ON_PURPOSE = {frozenset({"RUS", "SUN"})}

MACHADO_2009 = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
}
VISIONS = ("normal", *MACHADO_2009)


def _linear_rgb(colour: str) -> tuple[float, ...]:
    channels = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def relative_luminance(colour: str) -> float:
    r, g, b = _linear_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    light, dark = sorted((relative_luminance(colour), relative_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def seen_as(colour: str, vision: str) -> tuple[float, ...]:
    """Linear RGB of ``colour`` as a reader with ``vision`` sees it."""
    rgb = _linear_rgb(colour)
    if vision == "normal":
        return rgb
    return tuple(min(max(sum(m * c for m, c in zip(row, rgb)), 0.0), 1.0) for row in MACHADO_2009[vision])


def cielab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    """CIELAB (D65) of a linear sRGB colour."""
    r, g, b = rgb
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = (math.degrees(math.atan2(b, a)) % 360 for a, b in ((a1, b1), (a2, b2)))
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_hue = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = (-2 * math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
                * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    dl, dc, dhh = (l2 - l1) / s_l, (c2 - c1) / s_c, d_hue / s_h
    return math.sqrt(dl ** 2 + dc ** 2 + dhh ** 2 + rotation * dc * dhh)


def difference(colour1: str, colour2: str, vision: str) -> float:
    return ciede2000(cielab(seen_as(colour1, vision)), cielab(seen_as(colour2, vision)))


# ------------------------------------------------------------------------------------------------ the measures


def test_measures_match_published_values():
    """The measures are right: WCAG's own extremes, and a CIEDE2000 pair from Sharma, Wu and Dalal's test data."""
    assert contrast_ratio("#000000") == pytest.approx(21.0)
    assert contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    assert ciede2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50.0, 2.5, 0.0), (73.0, 25.0, -18.0)) == pytest.approx(27.1492, abs=1e-4)
    # Red and green, far apart for most readers, nearly merge for a deuteranope.
    assert difference("#CC0000", "#00AA00", "normal") > 50 > 20 > difference("#CC0000", "#00AA00", "deuteranopia")


# ------------------------------------------------------------------------------------------------ the colours


@pytest.mark.parametrize("state", CHOSEN)
def test_chosen_colour_stands_out_from_white(state):
    ratio = contrast_ratio(COUNTRY_COLOURS[state])
    assert ratio >= 3.0, f"{state}'s colour {COUNTRY_COLOURS[state]} has {ratio:.2f}:1 contrast against white, below 3:1"


@pytest.mark.parametrize("state", CHOSEN)
@pytest.mark.parametrize("vision", VISIONS)
def test_chosen_colour_is_distinct_from_every_other_state(state, vision):
    mine = COUNTRY_COLOURS[state]
    close = {other: round(difference(mine, colour, vision), 1) for other, colour in COUNTRY_COLOURS.items()
             if other != state and difference(mine, colour, vision) < MIN_DIFFERENCE}
    assert not close, f"in {vision}, {state}'s colour {mine} is hard to tell from: {close} (CIEDE2000)"


def test_no_two_states_share_a_colour_by_accident():
    shared = [(a, b) for a, b in itertools.combinations(COUNTRY_COLOURS, 2)
              if COUNTRY_COLOURS[a] == COUNTRY_COLOURS[b] and frozenset({a, b}) not in SAME_ON_PURPOSE]
    assert not shared, f"states drawn in one colour: {shared}"


def test_the_old_colours_would_fail():
    """The checks can fail: Tol's sand and cyan, which Armenia and Kazakhstan had, are under 2:1 against white."""
    assert contrast_ratio("#DDCC77") < 2 and contrast_ratio("#88CCEE") < 2
