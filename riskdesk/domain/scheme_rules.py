"""Checks a council's scheme must pass before it is saved: readable band colours, sane sizes."""

from __future__ import annotations

import re

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import ScoringScheme

#: WCAG 2 AA for normal text: score digits on a band fill must reach this with black or white ink.
MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _luminance(rgb: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(rgb[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def best_ink_contrast(fill: str) -> float:
    """The contrast of the more legible of black and white digits on ``fill``."""
    return max(contrast("#000000", fill), contrast("#ffffff", fill))


def check_scheme(scheme: ScoringScheme) -> None:
    """Refuse a band colour no digit can be read on, and a band without a name."""
    for band in scheme.bands.bands:
        if not band.name.strip():
            raise ValidationError("band name", band.name, "must not be empty")
        if not _HEX.match(band.rgb):
            raise ValidationError(f"colour of band {band.name}", band.rgb, "must be #RRGGBB")
        ratio = best_ink_contrast(band.rgb)
        if ratio < MIN_CONTRAST:
            raise ValidationError(
                f"colour of band {band.name}", band.rgb,
                f"leaves score digits unreadable (best contrast {ratio:.1f}:1, needs {MIN_CONTRAST}:1)",
            )
    for what, levels in (("impact", scheme.impact_levels), ("likelihood", scheme.likelihood_levels)):
        for lv in levels:
            if not lv.label.strip():
                raise ValidationError(f"{what} level {lv.level} label", lv.label, "must not be empty")


def resized(scheme: ScoringScheme, size: int) -> ScoringScheme:
    """The scheme at another matrix size, for the editor to fill in: levels kept or trimmed, new ones
    labelled "Level n" with empty criteria, the top band stretched to the new top score."""
    from dataclasses import replace

    from riskdesk.domain.scoring import MATRIX_SIZES, Bands, ImpactLevel, LikelihoodLevel

    if size not in MATRIX_SIZES:
        raise ValidationError("matrix size", size, "must be 3, 4, 5 or 6")
    dims = scheme.criteria_dimensions()
    impacts = list(scheme.impact_levels[:size])
    impacts += [ImpactLevel(n, f"Level {n}", tuple((d, "") for d in dims)) for n in range(len(impacts) + 1, size + 1)]
    likelihoods = list(scheme.likelihood_levels[:size])
    likelihoods += [LikelihoodLevel(n, f"Level {n}") for n in range(len(likelihoods) + 1, size + 1)]
    bands = list(scheme.bands.bands)
    top = bands[-1]
    bands[-1] = replace(top, high=max(top.high, size * size))

    def axis(labels: tuple[str, ...]) -> tuple[str, ...]:
        if not labels:
            return ()
        return tuple(labels[:size]) + tuple(f"Level {n}" for n in range(len(labels) + 1, size + 1))

    return replace(scheme, size=size, impact_levels=tuple(impacts), likelihood_levels=tuple(likelihoods),
                   bands=Bands(tuple(bands), size), impact_axis_labels=axis(scheme.impact_axis_labels),
                   likelihood_axis_labels=axis(scheme.likelihood_axis_labels))
