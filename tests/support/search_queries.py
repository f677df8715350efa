"""Reader queries for the search tests and benchmarks/search_quality.py, and how a result list is measured.

Each query is written the way a worried reader or a family member types it: typos, US and UK spellings,
brand names, slang, whole questions. Each names the page that answers it. When one misses, improve the
site (the query rewriting in docs/assets/javascripts/search-query.js, front matter `search:`, the words
a page uses), never the expectation.
"""

from __future__ import annotations

from tests.support.browser import PHONE, search

# A result counts as "within two phone screens" when its top is less than this far below the top of the
# result area (the line that says how many documents matched), measured at 390 x 844.
TWO_SCREENS_PX = 2 * PHONE["height"]

# (what a reader types, the page that answers it): tests/browser/test_search.py checks each in the top three.
QUERIES = [
    ("can ketamine help with nightmares", "/ketamine/evidence-ptsd/"),
    ("is ketamine addictive", "/ketamine/safety/"),
    ("how long does it last", "/ketamine/speed-and-duration/"),
    ("what is emdr", "/treatment/recommended/"),
    ("is it approved", "/ketamine/what-is-ketamine/"),
    ("side effects of ketamine", "/ketamine/safety/"),
    ("does ketamine cure ptsd", "/ketamine/evidence-ptsd/"),
    ("spravato nasal spray", "/ketamine/what-is-ketamine/"),
    ("how many people get ptsd", "/ptsd/how-common/"),
    ("my husband has ptsd", "/ptsd/living-with-ptsd/"),
    ("xanax for ptsd", "/treatment/not-recommended/"),
    ("best therapy for trauma", "/treatment/recommended/"),
    ("ketamine bladder", "/ketamine/safety/"),
    ("is at home ketamine safe", "/ketamine/safety/"),
    ("what does the va say about ketamine", "/ketamine/evidence-ptsd/"),
    ("how does ketamine work in the brain", "/ketamine/how-it-works/"),
    ("ketamine for depression", "/ketamine/other-conditions/"),
    ("what is dissociation", "/ketamine/safety/"),
    ("flashbacks", "/ptsd/what-is-ptsd/"),
    ("treatment not working", "/treatment/when-treatment-does-not-work/"),
    ("what happens at a ketamine appointment", "/ketamine/what-treatment-involves/"),
    ("what should i ask my doctor", "/ketamine/questions-to-ask/"),
    ("zoloft for ptsd", "/treatment/recommended/"),
    ("ketamine suicidal thoughts", "/ketamine/other-conditions/"),
    ("metallization therapy", "/checking-the-source/"),
    ("how do you choose your sources", "/about/editorial-policy/"),
]

# (what a reader types, the page that answers it); none of these is in QUERIES.
READER_QUERIES = [
    # Drug and therapy names, misspelt or by brand
    ("sertaline for ptsd", "/treatment/recommended/"),
    ("zertraline", "/treatment/recommended/"),
    ("paroxitine", "/treatment/recommended/"),
    ("ketamin ptsd study", "/ketamine/evidence-ptsd/"),
    ("esketamin", "/ketamine/what-is-ketamine/"),
    ("spravato cost", "/ketamine/what-is-ketamine/"),
    ("how much does ketamine cost", "/ketamine/what-is-ketamine/"),
    ("emdr therapy near me", "/treatment/recommended/"),
    ("prolonged exposure", "/treatment/recommended/"),
    ("cognitive processing therapy", "/treatment/recommended/"),
    ("cpt for trauma", "/treatment/recommended/"),
    ("valium for anxiety ptsd", "/treatment/not-recommended/"),
    ("benzos", "/treatment/not-recommended/"),
    # Inflections, US and UK spellings
    ("can you get addicted to ketamine", "/ketamine/safety/"),
    ("anesthetic", "/ketamine/what-is-ketamine/"),
    ("ketamine anesthesia", "/ketamine/what-is-ketamine/"),
    ("randomized trials ketamine ptsd", "/ketamine/evidence-ptsd/"),
    ("behavior changes trauma symptoms", "/ptsd/what-is-ptsd/"),
    ("infusions how many", "/ketamine/speed-and-duration/"),
    # Slang and other names
    ("k hole", "/ketamine/safety/"),
    ("special k", "/ketamine/what-is-ketamine/"),
    ("magic mushrooms ptsd", "/treatment/when-treatment-does-not-work/"),
    ("psilocybin", "/treatment/when-treatment-does-not-work/"),
    ("ecstasy therapy", "/treatment/when-treatment-does-not-work/"),
    # Questions a reader or a family member asks
    ("does insurance pay for ketamine", "/ketamine/what-is-ketamine/"),
    ("is ketamine legal", "/ketamine/what-is-ketamine/"),
    ("can i get ketamine online", "/ketamine/what-is-ketamine/"),
    ("does ketamine work right away", "/ketamine/speed-and-duration/"),
    ("ketamine pregnant", "/ketamine/safety/"),
    ("ketamine memory problems", "/ketamine/safety/"),
    ("will my ptsd ever go away", "/ptsd/living-with-ptsd/"),
    ("how can i help my wife with ptsd", "/ptsd/living-with-ptsd/"),
    ("therapy didnt help", "/treatment/when-treatment-does-not-work/"),
    ("nothing has worked for my ptsd", "/treatment/when-treatment-does-not-work/"),
    ("ptsd symptoms", "/ptsd/what-is-ptsd/"),
    ("ptsd in women", "/ptsd/how-common/"),
    ("ketamine anxiety", "/ketamine/other-conditions/"),
    ("glutamate", "/ketamine/how-it-works/"),
    ("what happens during an infusion", "/ketamine/what-treatment-involves/"),
    ("is the clinic blog right about ketamine", "/checking-the-source/"),
    ("who pays for this site", "/about/"),
    ("report a mistake", "/about/editorial-policy/"),
    ("questions for my psychiatrist", "/ketamine/questions-to-ask/"),
]

_MEASURE = """(max) => {
    const area = document.querySelector('.md-search-result');
    const top = area.getBoundingClientRect().top;
    return [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')].slice(0, max)
        .map(item => Math.round(item.getBoundingClientRect().top - top));
}"""


def measure(page, query: str, expected: str, top: int = 3) -> dict:
    """Search like a reader; where the expected page ranks and how far down the rendered list it starts.

    rank: 1-based place of the expected page (0 when absent); offset: its top in px below the top of
    the result area; first: the first result's top offset; paths: every result's URL path.
    """
    meta, paths = search(page, query, every_key=False)
    offsets = page.evaluate(_MEASURE, max(top, 1)) if paths else []
    rank = paths.index(expected) + 1 if expected in paths else 0
    offset = offsets[rank - 1] if 0 < rank <= len(offsets) else None
    return {
        "query": query,
        "expected": expected,
        "meta": meta,
        "paths": paths,
        "rank": rank,
        "offset": offset,
        "first": offsets[0] if offsets else None,
    }


def within_two_screens(result: dict, top: int = 3) -> bool:
    return 0 < result["rank"] <= top and result["offset"] is not None and result["offset"] < TWO_SCREENS_PX
