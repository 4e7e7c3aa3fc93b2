"""The learned ranker and its calibration: training finds the right candidate, confidence is a probability,
the serving side needs no numpy, and a build retrains only when the labelled questions changed."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from engine import Engine
from engine.rank import Linear, Ranker, expand, labels_newer, training_digest
from engine.train import fit_listwise, fold_order, judge, right

ROOT = Path(__file__).resolve().parent.parent


def test_listwise_fit_puts_the_right_candidate_first():
    rng = np.random.default_rng(0)
    groups = []
    for _ in range(60):  # the right candidate has the higher first feature; the second is noise
        x = rng.random((5, 2))
        y = np.zeros(5)
        y[int(np.argmax(x[:, 0]))] = 1.0
        groups.append((x, y))
    w = fit_listwise(groups)
    assert w[0] > 0 and abs(w[0]) > 3 * abs(w[1])


def test_features_have_per_kind_copies_and_confidence_is_a_probability():
    x = expand({"cov": 0.5, "kind_clause": 1.0})
    assert x["cov|clause"] == 0.5 and "cov|figure" not in x
    ranker = Ranker(Linear({"cov|clause": 2.0}), Linear({"score": 1.0}, -1.0), 0.6)
    assert ranker.score(x) == 1.0 and 0.0 < ranker.confidence({"score": 1.0}) == 0.5 < ranker.threshold


def test_judging_follows_the_team_scorer():
    case = {"found": True, "expect": ["5155", ["户", "人"]], "forbid": ["54026"]}
    assert right(case, "5,155人") and not right(case, "5155人 54026人") and not right(case, "2207户")
    assert judge({"found": False}, True, "x") == "wrong" and judge(case, False, None) == "missed"


def test_shipped_weights_know_every_feature_they_weigh():
    data = json.loads((ROOT / "intents" / "ranker.json").read_text(encoding="utf-8"))
    from engine.rank import RANK_FEATURES, SIGNALS

    assert set(data["rank"]["weights"]) <= set(RANK_FEATURES)
    assert set(data["calibrate"]["weights"]) <= set(SIGNALS)
    assert 0.0 < data["threshold"] < 1.0 and data["report"]["cv"]["cases"] >= 1000


def test_retraining_is_due_only_when_the_labels_change(tmp_path):
    training = tmp_path / "training"
    training.mkdir()
    (training / "a.jsonl").write_text('{"id": "1", "q": "x", "found": false}\n', encoding="utf-8")
    weights = tmp_path / "ranker.json"
    weights.write_text(json.dumps({"training_sha1": training_digest(training)}), encoding="utf-8")
    assert not labels_newer(weights, training)
    (training / "admin.jsonl").write_text('{"id": "2", "q": "y", "found": false}\n', encoding="utf-8")
    assert labels_newer(weights, training)


def test_a_fold_hears_the_earlier_questions_of_its_follow_ups():
    cases = [
        {"set": "s", "session": "1", "q": "汝阳县总人口多少"},  # about article A
        {"set": "s", "q": "沁县有多少贫困村"},  # B, no session
        {"set": "s", "session": "1", "q": "那沁县呢"},  # B, follows the first
        {"set": "s", "session": "1", "q": "那汝阳呢"},  # A, after the fold's last question
        {"set": "t", "session": "1", "q": "洛阳呢"},  # another set's session of the same name
    ]
    groups = ["A", "B", "B", "A", "A"]
    assert fold_order(cases, groups, "B") == [0, 1, 2]
    assert fold_order(cases, groups, "A") == [0, 2, 3, 4]


def test_an_engine_picks_up_retrained_weights(built_db, tmp_path, monkeypatch):
    weights = tmp_path / "ranker.json"
    weights.write_text(json.dumps(Ranker.load().to_json()), encoding="utf-8")
    monkeypatch.setenv("RANKER_WEIGHTS", str(weights))
    engine = Engine(built_db)
    assert engine.ask("汝阳县未脱贫人口有多少").found
    never = Ranker.load().to_json()
    never["threshold"] = 0.9999999  # weights that answer nothing
    weights.write_text(json.dumps(never), encoding="utf-8")
    engine.reload()
    assert not engine.ask("汝阳县未脱贫人口有多少").found


def test_serving_imports_no_numpy(built_db):
    code = (
        "import sys; from engine import Engine; Engine(sys.argv[1]).ask('汝阳县未脱贫人口有多少'); "
        "print('numpy' in sys.modules)"
    )  # a built fact base: building one (sqlite-utils) may bring numpy, serving must not
    out = subprocess.run(
        [sys.executable, "-c", code, str(built_db)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "False", out.stderr[-2000:]
