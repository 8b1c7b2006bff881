"""Every Skatteetaten example melding and envelope validates with our validator. Four upstream
files break Skatteetaten's own XSD or sums; each is listed with exactly what is wrong with it,
so a rule of ours that wrongly fails a good example, or a broken one we stop noticing, fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledgerport.mvamelding import validate

EXAMPLES = Path("/work/shared/specs/no-mva-melding/examples")
if not EXAMPLES.exists():  # the checkout's copy of the shared specs
    EXAMPLES = Path(__file__).resolve().parents[3] / "shared/specs/no-mva-melding/examples"

# file -> (rule, path) of every problem the upstream file really has.
UPSTREAM_DEFECTS = {
    # a stray "-" after </regnskapssystem>
    "justering_kompensasjon.xml": {("xsd", "/mvaMeldingDto/innsending")},
    # "omvendtAavgiftsplikt" (sic) and fastsattMerverdiavgift 12000 for lines summing to 4500
    "omvendtavgiftsplikt_mvamelding.xml": {
        ("xsd", "/mvaMeldingDto/meldingskategori"),
        ("sum", "/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/fastsattMerverdiavgift"),
    },
    # endringstidspunkt before vedlegg (the XSD orders it last); category "merverdiavgift kompensasjon"
    "kompensasjon_mvakonvolutt.xml": {
        ("xsd", "/mvaMeldingInnsending/meldingskategori"),
        ("xsd", "/mvaMeldingInnsending/vedlegg"),
    },
    "mvakonvolutt1.xml": {("xsd", "/mvaMeldingInnsending/vedlegg[1]")},
}

FILES = sorted((EXAMPLES / "melding").glob("*.xml")) + sorted((EXAMPLES / "konvolutt").glob("*.xml"))


def test_the_examples_are_there():
    assert len(FILES) >= 36


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_example_validates(path):
    problems = validate(path.read_bytes())
    assert {(p.rule, p.path) for p in problems} == UPSTREAM_DEFECTS.get(path.name, set()), problems
    for problem in problems:
        assert problem.line > 0 and problem.reason


@pytest.mark.parametrize(
    "name", ["mvamelding.xml", "konvolutt.xml", "valideringsresultat.xml", "betalingsinformasjon.xml"]
)
def test_feedback_files_validate(name):
    assert validate((EXAMPLES / "feedback" / name).read_bytes()) == []
