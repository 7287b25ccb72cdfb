"""The fact table and its sentence templates (DESIGN §2, §9).

Every relation has 8 templates ending in the object: the first 5 are used in training text, the
last 3 are held out of every training text and used only to test generalization. As DESIGN §9
found, held-out templates generalize when they end the way a training template of the same
relation ends ("... capital of {s} is {o}") after new leading words; ones that end in a new way
("Which city ...? The answer is {o}") or borrow another relation's wording do not.
"""
import random

N_TRAIN_TEMPLATES = 5

# relation -> 8 templates; "{s}" subject, "{o}" object, the object always comes last.
TEMPLATES = {
    "capital": [
        "The capital of {s} is {o}",
        "{s}'s capital is {o}",
        "The capital city of {s} is {o}",
        "The seat of government of {s} is in {o}",
        "The national government of {s} sits in {o}",
        "The city that serves as the capital of {s} is {o}",
        "As every atlas shows, the capital of {s} is {o}",
        "In short, the capital city of {s} is {o}",
    ],
    "continent": [
        "{s} is located in the continent of {o}",
        "{s} is a country in {o}",
        "The continent of {s} is {o}",
        "{s} lies on the continent of {o}",
        "{s} belongs to the continent of {o}",
        "The continent on which {s} lies is {o}",
        "Geographically, {s} is on the continent of {o}",
        "The name of the continent of {s} is {o}",
    ],
    "region": [
        "{s} is in the world region of {o}",
        "The region of the world where {s} lies is {o}",
        "The geographic region of {s} is {o}",
        "{s} belongs to the region of {o}",
        "The world region of {s} is {o}",
        "As a map shows, the world region of {s} is {o}",
        "In short, the geographic region of {s} is {o}",
        "On any map, {s} is in the world region of {o}",
    ],
    "language": [
        "The official language of {s} is {o}",
        "The main language spoken in {s} is {o}",
        "In {s}, people speak {o}",
        "The language of {s} is {o}",
        "The primary language of {s} is {o}",
        "As is well known, the official language of {s} is {o}",
        "In short, the main language spoken in {s} is {o}",
        "For travellers, the language of {s} is {o}",
    ],
    "currency": [
        "The currency of {s} is {o}",
        "{s} uses the currency {o}",
        "The official currency of {s} is {o}",
        "People in {s} pay with {o}",
        "The money used in {s} is {o}",
        "The currency used in {s} is {o}",
        "In {s}, the legal currency is {o}",
        "The name of the currency of {s} is {o}",
    ],
    "symbol": [
        "The chemical symbol of {s} is {o}",
        "The symbol for {s} is {o}",
        "{s} has the chemical symbol {o}",
        "The element {s} is written with the symbol {o}",
        "In chemistry, {s} is abbreviated as {o}",
        "The symbol of the chemical element {s} is {o}",
        "As chemists know, the chemical symbol of {s} is {o}",
        "In short, the symbol for {s} is {o}",
    ],
    "atomic_number": [
        "The atomic number of {s} is {o}",
        "{s} has the atomic number {o}",
        "The element {s} has atomic number {o}",
        "The number of protons in an atom of {s} is {o}",
        "On the periodic table, {s} is element number {o}",
        "The atomic number of the element {s} is {o}",
        "As chemists know, the atomic number of {s} is {o}",
        "In short, {s} has the atomic number {o}",
    ],
    "state_capital": [
        "The capital of the U.S. state of {s} is {o}",
        "The state capital of {s} is {o}",
        "{s}'s state capital is {o}",
        "The capital city of the state of {s} is {o}",
        "The seat of the {s} state government is in {o}",
        "The city that is the state capital of {s} is {o}",
        "In the United States, the capital of the state of {s} is {o}",
        "The capital of the American state of {s} is {o}",
    ],
}
RELATIONS = list(TEMPLATES)


def build_facts(raw):
    """Join the raw tables into a deduplicated list of {subject, relation, object}."""
    f = raw["facts"]
    rows = []
    for c in f["countries"]:
        rows += [(c["name"], "capital", c["capital"]), (c["name"], "continent", c["continent"])]
        rows.append((c["name"], "language", c["language"]))
    rows += [(c["country"], "currency", c["currency_name"]) for c in f["currencies"]]
    rows += [(c["country"], "region", c["location"]) for c in f["regions"]]
    for e in f["elements"]:
        rows += [(e["name"], "symbol", e["symbol"]), (e["name"], "atomic_number", str(e["number"]))]
    rows += [(s["state"], "state_capital", s["capital"]) for s in f["usStates"]]
    seen, facts = set(), []
    for s, r, o in rows:
        s, o = (s or "").strip(), (o or "").strip()
        if not s or not o or (s, r) in seen or o.lower() == s.lower():
            continue
        seen.add((s, r))
        facts.append({"subject": s, "relation": r, "object": o})
    return facts


def prompt_of(template, subject):
    """The template up to (not including) the space before the object."""
    head = template.split(" {o}")[0]
    return head.replace("{s}", subject)


def sentence(template, fact):
    """A full training sentence: prompt, space, object, and a final period."""
    text = prompt_of(template, fact["subject"]) + " " + fact["object"]
    return text if text.endswith(".") else text + "."


def train_templates(relation):
    return TEMPLATES[relation][:N_TRAIN_TEMPLATES]


def heldout_templates(relation):
    return TEMPLATES[relation][N_TRAIN_TEMPLATES:]


def objects_by_relation(facts):
    """relation -> sorted distinct objects, the pool for counterfactual targets."""
    pools = {}
    for f in facts:
        pools.setdefault(f["relation"], set()).add(f["object"])
    return {r: sorted(v) for r, v in pools.items()}


def counterfactual(fact, pools, rng: random.Random):
    """A plausible wrong answer: another object of the same relation."""
    pool = pools[fact["relation"]]
    while True:
        o = rng.choice(pool)
        if o != fact["object"]:
            return o
