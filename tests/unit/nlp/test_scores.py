import json

from qa_app.nlp import ANALYZER_VERSION
from qa_app.nlp.components.politeness import (FEATURE_NAMES, WEIGHTS_PATH, load_weights, politeness_features,
                                              politeness_score, politeness_strategies)
from qa_app.nlp.components.sentiment import sentiment_score
from qa_app.nlp.pipeline import get_nlp


def test_weights_file_matches_extractor():
    data = json.loads(WEIGHTS_PATH.read_text())
    assert tuple(data["feature_names"]) == FEATURE_NAMES
    assert len(data["weights"]) == len(FEATURE_NAMES)
    assert 0.5 < data["cv_accuracy_10fold"] < 1
    assert load_weights()["feature_names"] == data["feature_names"]
    doc = get_nlp()("Could you please help me? Thanks!")
    assert len(politeness_features(doc)) == len(FEATURE_NAMES)


def test_politeness_orders_polite_above_rude():
    nlp = get_nlp()
    polite = ["Hi Sam, thanks so much for your patience! Could you please send me the order number?",
              "Sorry about that! Would you mind sharing a photo? I appreciate it.",
              "Thank you for reaching out, I'd be happy to help with the return."]
    rude = ["Why didn't you read the email? Send the number.",
            "What do you want? Just check the tracking yourself.",
            "You need to stop asking the same thing. Read the FAQ."]
    p = [politeness_score(d) for d in nlp.pipe(polite)]
    r = [politeness_score(d) for d in nlp.pipe(rude)]
    assert min(p) > 0.5 > max(r)
    assert min(p) > max(r)


def test_empty_message_is_neutral():
    assert politeness_score(get_nlp()("")) == 0.5


def test_strategies_listed():
    found = politeness_strategies(get_nlp()("Hi! Could you please check? Thanks."))
    assert {"gratitude", "greeting", "please", "counterfactual_modal"} <= set(found)


def test_sentiment_range_and_order():
    assert sentiment_score("This is the worst service ever, I'm furious") < -0.5
    assert sentiment_score("Thanks so much, that was great!") > 0.5
    assert sentiment_score("") == 0.0


def test_version_string():
    assert ANALYZER_VERSION.count(".") == 2
