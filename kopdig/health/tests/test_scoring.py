"""The scoring kernel: every ratio threshold just below / at / above, checklist shares, the
aspect and total arithmetic on a worked example, not applicable / not computable, validation."""

import json
from decimal import Decimal

import pytest

from kopdig.health import scoring
from kopdig.health.rubrics import DATA_DIR

D = Decimal
KKPKK = json.loads((DATA_DIR / "kkpkk.json").read_text())
PERDEP = json.loads((DATA_DIR / "perdep_06_2016.json").read_text())


def ind(rubric, code):
    return next(i for a in rubric["aspects"] for i in a["indicators"] if i["code"] == code)


def ratio_score(rubric, code, percent, figures):
    hi = scoring.SCHEMES[rubric["scheme"]][1]
    res = scoring.score_indicator(ind(rubric, code), figures(D(percent)), {"lends": True}, {}, hi)
    return res.score


def eq_over(x):  # total_ekuitas / total_aset = x %
    return {"total_ekuitas": x, "total_aset": D(100)}


def growth(x):  # total_ekuitas / total_ekuitas_lalu - 1 = x %
    return {"total_ekuitas": D(100) + x, "total_ekuitas_lalu": D(100)}


def loans(x):
    return {"pinjaman_neto": x, "aset_produktif": D(100)}


def mandiri(x):
    return {"partisipasi_neto": x, "beban_usaha": D(60), "beban_perkoperasian": D(40)}


@pytest.mark.parametrize(
    "percent,score",
    [
        ("30.01", 4),
        ("30", 3),
        ("29.99", 3),
        ("20.01", 3),
        ("20", 2),
        ("19.99", 2),
        ("10.01", 2),
        ("10", 1),
        ("9.99", 1),
    ],
)
def test_ekuitas_aset_boundaries(percent, score):
    assert ratio_score(KKPKK, "ekuitas_aset", percent, eq_over) == score


@pytest.mark.parametrize(
    "percent,score",
    [
        ("74.99", 4),
        ("75", 4),
        ("75.01", 3),
        ("85", 3),
        ("85.01", 2),
        ("95", 2),
        ("95.01", 1),
    ],
)
def test_pinjaman_aset_produktif_boundaries(percent, score):
    assert ratio_score(KKPKK, "pinjaman_aset_produktif", percent, loans) == score


@pytest.mark.parametrize(
    "percent,score",
    [
        ("10.01", 4),
        ("10", 4),
        ("9.99", 3),
        ("7", 3),
        ("6.99", 2),
        ("4", 2),
        ("3.99", 1),
        ("-5", 1),
    ],
)
def test_pertumbuhan_ekuitas_boundaries(percent, score):
    assert ratio_score(KKPKK, "pertumbuhan_ekuitas", percent, growth) == score


@pytest.mark.parametrize(
    "percent,score",
    [
        ("120.01", 4),
        ("120", 4),
        ("119.99", 3),
        ("110", 3),
        ("109.99", 2),
        ("100", 2),
        ("99.99", 1),
    ],
)
def test_kemandirian_operasional_boundaries(percent, score):
    assert ratio_score(KKPKK, "kemandirian_operasional", percent, mandiri) == score


@pytest.mark.parametrize(
    "percent,nilai",
    [
        ("24.99", 0),
        ("25", 50),
        ("49.99", 50),
        ("50", 75),
        ("74.99", 75),
        ("75", 100),
        ("100", 100),
    ],
)
def test_perdep_pinjaman_anggota_ladder(percent, nilai):
    figures = lambda x: {"pinjaman_anggota": x, "piutang_pinjaman": D(100)}  # noqa: E731
    assert ratio_score(PERDEP, "pinjaman_anggota_total", percent, figures) == nilai


@pytest.mark.parametrize(
    "percent,nilai",
    [
        ("45", 0),
        ("45.5", 0),
        ("44.5", 0),
        ("44", 2),
        ("43.9", 2),
        ("40", 10),
        ("0", 90),
        ("46", 0),
    ],
)
def test_perdep_rpm_ladder_two_per_whole_percent_below_45(percent, nilai):
    figures = lambda x: {"rpm": x, "piutang_pinjaman": D(100)}  # noqa: E731
    assert ratio_score(PERDEP, "rpm_pinjaman", percent, figures) == nilai


@pytest.mark.parametrize("percent,nilai", [("57.8", 57), ("99.99", 99), ("100", 100), ("150", 100), ("0", 0)])
def test_perdep_cadangan_rpm_one_per_percent_capped(percent, nilai):
    figures = lambda x: {"cadangan_risiko": x, "rpm": D(100)}  # noqa: E731
    assert ratio_score(PERDEP, "cadangan_rpm", percent, figures) == nilai


@pytest.mark.parametrize(
    "percent,nilai", [("2.99", 25), ("3", 50), ("3.99", 50), ("4", 75), ("4.99", 75), ("5", 100)]
)
def test_perdep_rentabilitas_modal_sendiri(percent, nilai):
    figures = lambda x: {"shu": x, "total_ekuitas": D(100)}  # noqa: E731
    assert ratio_score(PERDEP, "rentabilitas_modal_sendiri", percent, figures) == nilai


@pytest.mark.parametrize("percent,nilai", [("100", 0), ("100.01", 100), ("99", 0)])
def test_perdep_kemandirian_pelayanan(percent, nilai):
    assert ratio_score(PERDEP, "kemandirian_operasional_pelayanan", percent, mandiri) == nilai


@pytest.mark.parametrize("yes,score", [(7, 4), (6, 4), (5, 3), (4, 3), (3, 2), (2, 2), (1, 1), (0, 1)])
def test_checklist_share_of_seven_principles(yes, score):
    items = {f"p{n}": n <= yes for n in range(1, 8)}
    res = scoring.score_indicator(ind(KKPKK, "prinsip_koperasi"), {}, {}, {"items": items}, D(4))
    assert res.status == scoring.SCORED and res.score == score and res.fulfilled == yes


@pytest.mark.parametrize("yes,score", [(4, 4), (3, 3), (2, 2), (1, 1), (0, 1)])
def test_checklist_share_bounds_of_four_items(yes, score):
    # 3/4 = 75% → 3 (">75% → 4"), 2/4 = 50% → 2, 1/4 = 25% → 1: the bound goes to the band as written.
    items = {f"r{n}": n <= yes for n in range(1, 5)}
    res = scoring.score_indicator(ind(KKPKK, "risiko_inheren"), {}, {}, {"items": items}, D(4))
    assert res.score == score


def test_checklist_with_an_unanswered_item_is_unscored():
    res = scoring.score_indicator(
        ind(KKPKK, "risiko_inheren"), {}, {}, {"items": {"r1": True, "r2": True}}, D(4)
    )
    assert res.status == scoring.UNSCORED and res.score is None


def test_points_nilai_from_the_ya_items():
    rubric_ind = {
        "code": "m",
        "name": "M",
        "kind": "points",
        "weight": "3",
        "items": [{"code": "a", "points": "1"}, {"code": "b", "points": "3"}],
    }
    res = scoring.score_indicator(rubric_ind, {}, {}, {"items": {"a": False, "b": True}}, D(100))
    assert res.score == D("75.00") and res.contribution == D("2.25")


def test_zero_denominator_is_not_computable_never_zero():
    res = scoring.score_indicator(
        ind(KKPKK, "ekuitas_aset"), {"total_ekuitas": D(5), "total_aset": D(0)}, {}, {}, D(4)
    )
    assert res.status == scoring.NOT_COMPUTABLE and res.score is None
    assert "Total aset" in res.reason and "nol" in res.reason


def test_missing_figure_is_not_computable():
    res = scoring.score_indicator(ind(KKPKK, "pertumbuhan_ekuitas"), {"total_ekuitas": D(5)}, {}, {}, D(4))
    assert res.status == scoring.NOT_COMPUTABLE and "ekuitas tahun lalu" in res.reason


def test_not_applicable_by_rule_and_by_examiner():
    res = scoring.score_indicator(
        ind(KKPKK, "pinjaman_aset_produktif"), loans(D(50)), {"lends": False}, {}, D(4)
    )
    assert res.status == scoring.NOT_APPLICABLE and "tidak memberikan pinjaman" in res.reason
    res = scoring.score_indicator(
        ind(KKPKK, "ekuitas_aset"), eq_over(D(50)), {}, {"not_applicable": "Koperasi baru"}, D(4)
    )
    assert res.status == scoring.NOT_APPLICABLE and res.reason == "Koperasi baru"


def _all_yes(rubric, yes_share=None):
    answers = {}
    for a in rubric["aspects"]:
        for i in a["indicators"]:
            if i.get("items"):
                answers[i["code"]] = {"items": {it["code"]: True for it in i["items"]}}
    return answers


def test_worked_example_kkpkk():
    """A konsumen cooperative without loans (pinjaman/aset produktif not applicable).

    Tata Kelola: prinsip 5/7 (71.4% → 3), the five kelembagaan items yes except izin USP (not
    applicable) → 4 × 4, manajemen 3/5 (60% → 3): (3+16+3)/(6×4) = 22/24 = 91.67.
    Profil Risiko: inheren 4/4 → 4, KPMR 2/4 (50% → 2): 6/8 = 75.00.
    Kinerja: kemandirian 115% → 3 (loans n/a, five info indicators not counted): 3/4 = 75.00.
    Permodalan: ekuitas/aset 25% → 3, pertumbuhan 8% → 3: 6/8 = 75.00.
    Total = 91.67×30% + 75×15% + 75×40% + 75×15% = 27.501 + 11.25 + 30 + 11.25 = 80.00 → Sehat.
    """
    answers = _all_yes(KKPKK)
    answers["prinsip_koperasi"]["items"].update({"p6": False, "p7": False})
    answers["manajemen"]["items"].update({"m4": False, "m5": False})
    answers["kpmr"]["items"].update({"q3": False, "q4": False})
    figures = {
        "total_ekuitas": D(25),
        "total_aset": D(100),
        "total_ekuitas_lalu": D("23.1481481481"),
        "partisipasi_neto": D(115),
        "beban_usaha": D(80),
        "beban_perkoperasian": D(20),
    }
    figures["total_ekuitas_lalu"] = D(25) / D("1.08")
    result = scoring.evaluate(KKPKK, figures, {"lends": False}, answers)
    scores = {a.code: a.score for a in result.aspects}
    assert scores == {
        "tata_kelola": D("91.67"),
        "profil_risiko": D("75.00"),
        "kinerja_keuangan": D("75.00"),
        "permodalan": D("75.00"),
    }
    assert result.total == D("80.00") and result.predicate == scoring.SEHAT and result.complete
    assert [a.weighted for a in result.aspects] == [D("27.50"), D("11.25"), D("30.00"), D("11.25")]
    info = [i for i in result.indicators() if i.status == scoring.INFO]
    assert {i.code for i in info} == {
        "aset_produktif_aset",
        "aset_likuid_aset",
        "shu_pendapatan",
        "pertumbuhan_hasil_usaha",
        "rentabilitas",
        "kecukupan_modal",
    }


def test_worked_example_perdep_weights():
    """Perdep: score = nilai × weight / 100; with every indicator scored the total is Σ of them."""
    rubric = {
        "scheme": "nilai",
        "cutoffs": PERDEP["cutoffs"],
        "aspects": [
            {
                "code": "a",
                "name": "A",
                "weight": "60",
                "indicators": [
                    {"code": "x", "name": "X", "kind": "manual", "weight": "40"},
                    {"code": "y", "name": "Y", "kind": "manual", "weight": "20"},
                ],
            },
            {
                "code": "b",
                "name": "B",
                "weight": "40",
                "indicators": [{"code": "z", "name": "Z", "kind": "manual", "weight": "40"}],
            },
        ],
    }
    answers = {"x": {"manual_score": "100"}, "y": {"manual_score": "50"}, "z": {"manual_score": "25"}}
    result = scoring.evaluate(rubric, {}, {}, answers)
    # 100×40% + 50×20% + 25×40% = 40 + 10 + 10 = 60
    assert [a.score for a in result.aspects] == [D("83.33"), D("25.00")]
    assert result.total == D("60.00") and result.predicate == scoring.PENGAWASAN
    assert [i.contribution for i in result.indicators()] == [D(40), D(10), D(10)]


@pytest.mark.parametrize(
    "total,predicate",
    [
        ("80", "sehat"),
        ("79.99", "cukup_sehat"),
        ("66", "cukup_sehat"),
        ("65.99", "dalam_pengawasan"),
        ("51", "dalam_pengawasan"),
        ("50.99", "dalam_pengawasan_khusus"),
    ],
)
def test_predicate_cutoffs(total, predicate):
    assert scoring.predicate_for(D(total), KKPKK["cutoffs"]) == predicate


def test_incomplete_examination_has_no_total():
    result = scoring.evaluate(KKPKK, eq_over(D(50)), {"lends": True}, {})
    assert result.total is None and result.predicate == "" and result.missing


def test_shipped_rubrics_are_valid_and_flag_the_unconfirmed():
    assert scoring.validate_rubric(KKPKK) == [] and scoring.validate_rubric(PERDEP) == []
    assert [a["weight"] for a in KKPKK["aspects"]] == ["30", "15", "40", "15"]
    assert [a["weight"] for a in PERDEP["aspects"]] == ["15", "25", "15", "10", "15", "10", "10"]
    assert KKPKK["cutoffs_unconfirmed"] and PERDEP["cutoffs_unconfirmed"]
    assert ind(PERDEP, "modal_sendiri_aset")["unconfirmed"] and "ladder" not in ind(
        PERDEP, "modal_sendiri_aset"
    )
    assert not ind(KKPKK, "ekuitas_aset").get("unconfirmed")


def _bad(**changes):
    data = json.loads(json.dumps(KKPKK))
    for path, value in changes.items():
        target = data
        *head, last = path.split("__")
        for key in head:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return [str(p) for p in scoring.validate_rubric(data)]


def test_validation_weights_not_100():
    assert any("jumlah bobot aspek 105" in p for p in _bad(aspects__0__weight="35"))


def test_validation_overlap_and_gap():
    overlap = [
        {"gt": "30", "score": 4},
        {"ge": "20", "le": "30", "score": 3},
        {"gt": "10", "le": "20", "score": 2},
        {"le": "10", "score": 1},
    ]
    assert any("tumpang tindih" in p for p in _bad(aspects__3__indicators__0__ladder=overlap))
    both_in = [{"ge": "30", "score": 4}, {"le": "30", "score": 1}]
    assert any("tumpang tindih" in p for p in _bad(aspects__3__indicators__0__ladder=both_in))
    gap = [{"gt": "30", "score": 4}, {"gt": "20", "le": "25", "score": 3}, {"le": "20", "score": 1}]
    assert any("celah antara 25 dan 30" in p for p in _bad(aspects__3__indicators__0__ladder=gap))
    open_gap = [{"gt": "30", "score": 4}, {"lt": "30", "score": 1}]
    assert any("celah" in p for p in _bad(aspects__3__indicators__0__ladder=open_gap))
    no_bottom = [{"gt": "30", "score": 4}, {"gt": "0", "le": "30", "score": 1}]
    assert any("di bawah 0" in p for p in _bad(aspects__3__indicators__0__ladder=no_bottom))


def test_validation_unknown_figure_and_bad_score_names_the_row():
    problems = _bad(aspects__3__indicators__0__formula="total_ekuitas / aset_gaib")
    assert problems == ["indikator ekuitas_aset: rumus menyebut angka yang tidak dikenal: aset_gaib"]
    problems = _bad(aspects__3__indicators__0__ladder=[{"gt": "30", "score": 5}, {"le": "30", "score": 1}])
    assert problems == ["indikator ekuitas_aset: skor 5 di luar rentang 1–4"]
    assert _bad(aspects__3__indicators__0__formula="__import__('os')")


def test_formula_refuses_anything_but_arithmetic():
    with pytest.raises(ValueError):
        scoring.formula_names("total_aset.__class__")
    assert scoring.formula_names("a / (b + c) - 1") == {"a", "b", "c"}


def test_reason_names_the_band_in_indonesian_notation():
    res = scoring.score_indicator(ind(KKPKK, "ekuitas_aset"), eq_over(D("25.5")), {}, {}, D(4))
    assert res.reason == "> 20% dan ≤ 30% → skor 3"
    res = scoring.score_indicator(
        ind(PERDEP, "rpm_pinjaman"), {"rpm": D(40), "piutang_pinjaman": D(100)}, {}, {}, D(100)
    )
    assert res.reason == "-2 per 1% dari 45% → skor 10"


def test_zero_divisor_is_named_in_the_readers_words():
    figures = {"total_aset": D(5), "beban_usaha": D(0), "beban_perkoperasian": D(0)}
    with pytest.raises(scoring.NotComputable) as err:
        scoring.evaluate_formula("total_aset / (beban_usaha + beban_perkoperasian)", figures)
    labels = f"{scoring.FIGURES['beban_usaha']} + {scoring.FIGURES['beban_perkoperasian']}"
    assert str(err.value) == f"pembagi «{labels}» bernilai nol"
    assert "beban_usaha" not in str(err.value)
