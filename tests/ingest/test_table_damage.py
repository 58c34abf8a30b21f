"""Damage shapes seen on real benchmark pages (issue 9), each written here in its own words and numbers:
headers glued to acronyms, rows ending in a long text cell, several benchmarks or several models in one
cell, feature rows naming a benchmark, "Model | Score" tables under a benchmark heading, pipe rows wrapped
over several lines.
"""

from __future__ import annotations

from capgraph.graph.schema import Extraction, Source
from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.prose import read_prose
from capgraph.ingest.resolve import default_resolver


def _scores(e: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in e.scores}


GLUED_ACRONYM_HEADER = """Small models against a closed one

Reasoning

TestMistral 7BPhi-3 Mini 3.8BGPT-3.5 Turbo
ARC Challenge (25-shot)61.284.985.2
WinoGrande (5-shot)75.370.881.6
DROP (3-shot, F1)58.060.064.1
"""


def test_glued_header_splits_a_size_from_the_acronym_after_it() -> None:
    """ "3.8BGPT-3.5 Turbo": the size ends one name and the acronym starts the next, so each row has three
    values, not two with the first glued onto the label."""
    scores = _scores(parse_text(GLUED_ACRONYM_HEADER))
    assert scores[("mistral-7b", "arc-challenge")] == 61.2
    assert scores[("phi-3-mini", "arc-challenge")] == 84.9
    assert scores[("gpt-3-5-turbo", "arc-challenge")] == 85.2
    assert scores[("gpt-3-5-turbo", "drop-f1")] == 64.1
    assert not any("61.2" in s.benchmark for s in parse_text(GLUED_ACRONYM_HEADER).scores)


LONG_TRAILER = """Two reasoning models, head to head

Results
MetricGemini 2.0 FlashClaude 3.7 SonnetWhat it means
AIME 2025 (Math)61.3%54.8%Flash pulls ahead on the hardest contest problems, by about 6 points overall.
GPQA Diamond70.2%77.1%Sonnet answers more of the 198 graduate questions, a clear lead of 7 points.
LiveCodeBench (Code)47.9%52.4%Sonnet writes working solutions more often in timed sessions of 2 hours.
"""


def test_rows_ending_in_a_long_text_cell_keep_their_values() -> None:
    """The last column holds a sentence (with numbers of its own): the row is cut where that text cell
    starts, so the values before it are read and the sentence's numbers are not."""
    e = parse_text(LONG_TRAILER)
    scores = _scores(e)
    assert scores[("gemini-2-0-flash", "aime-2025")] == 61.3
    assert scores[("claude-3-7-sonnet", "aime-2025")] == 54.8
    assert scores[("claude-3-7-sonnet", "gpqa-diamond")] == 77.1
    assert scores[("gemini-2-0-flash", "livecodebench")] == 47.9
    assert {s.value for s in e.scores} == {61.3, 54.8, 70.2, 77.1, 47.9, 52.4}


MODELS_IN_ONE_CELL = """Which benchmarks still matter

| Benchmark | Measures | Status | Leaders (approx.) |
|---|---|---|---|
| MATH-500 | Harder than GSM8K | 95-98% at the top | o3-mini: ~97%; Claude 3.7 Sonnet: 82.2%; Qwen 2.5 72B: ~83% |
| LiveCodeBench | New contest tasks, unlike HumanEval | Spreads models | o3-mini: 74.1%; DeepSeek-R1: ~65% |
"""


def test_a_cell_listing_several_models_scores_each_on_the_rows_benchmark() -> None:
    """`Model: value; Model: value` in a benchmark's row: one score per model on that row's benchmark, and
    the other benchmark the row's description names (GSM8K, HumanEval) gets none of them."""
    e = parse_text(MODELS_IN_ONE_CELL)
    scores = _scores(e)
    assert scores[("o3-mini", "math-500")] == 97
    assert scores[("claude-3-7-sonnet", "math-500")] == 82.2
    assert scores[("qwen-2-5-72b", "math-500")] == 83
    assert scores[("o3-mini", "livecodebench")] == 74.1
    assert scores[("deepseek-r1", "livecodebench")] == 65
    assert {benchmark_key(s.benchmark) for s in e.scores} == {"math-500", "livecodebench"}


BENCHMARKS_IN_ONE_CELL = """Open and closed models at a glance

Model NameMakerYearSizeContextScores (MT-Bench / MMLU / HumanEval)Vision
Gemma 2 27BGoogle202427B8kMT-Bench: ~8.1 / MMLU: 75.2% / HumanEval: ~52%No
Command R+Cohere2024104B128kMT-Bench: 8.3 / MMLU: ~75.7% / HumanEval: ~70%+No
Llama 2 70BMeta202370B4kMMLU: ~69% (no MT-Bench)No
Gemini 1.0 Pro / Gemini 1.0 UltraGoogle2023n/a32kMT-Bench: ~8.0 / MMLU: ~83%Yes
"""


def test_a_cell_listing_several_benchmarks_scores_the_rows_model() -> None:
    """`BENCH: value / BENCH: value` in a model's row whose cells ran together: the row's model is the name
    before the glued maker ("Command R+" before "Cohere"); approximations and "+" keep their number; a row
    headed by two models given as alternatives scores neither; a benchmark named in a gloss gets nothing."""
    e = parse_text(BENCHMARKS_IN_ONE_CELL)
    scores = _scores(e)
    assert scores[("gemma-2-27b", "mt-bench")] == 8.1
    assert scores[("gemma-2-27b", "mmlu")] == 75.2
    assert scores[("gemma-2-27b", "humaneval")] == 52
    assert scores[("command-r", "humaneval")] == 70
    assert scores[("llama-2-70b", "mmlu")] == 69
    assert ("llama-2-70b", "mt-bench") not in scores
    assert not [s for s in e.scores if s.model_id.startswith("gemini")]
    assert len(e.scores) == 7


FEATURE_ROWS_WITH_GLOSSES = """Mistral Large 2 or Llama 3.1 70B?

| Feature | Mistral Large 2 (Mistral AI) | Llama 3.1 70B (Meta) |
|---|---|---|
| Released | July 2024 | July 2024 |
| Context | 32K (Mistral Large 1) / 128K (Mistral Large 2) | 128K tokens |
| Coding (HumanEval) | 92% (0-shot) | 80.5% (0-shot) |
| Maths (GSM8K) | ~93.0% (8-shot CoT) | Not tested |
| Knowledge (MMLU) | 84.0% ±0.4 | 86.0% ±0.3 |
"""


def test_feature_rows_naming_a_benchmark_give_scores_despite_glosses() -> None:
    """Under a header whose model columns carry the vendor, a row whose cells mention models beside numbers
    ("32K (Mistral Large 1)") is a row, not a new header; benchmark rows keep their scores without the run
    settings, the "~" or the error bar, and "Not tested" is no score."""
    e = parse_text(FEATURE_ROWS_WITH_GLOSSES)
    scores = _scores(e)
    assert scores[("mistral-large-2", "humaneval")] == 92
    assert scores[("llama-3-1-70b", "humaneval")] == 80.5
    assert scores[("mistral-large-2", "gsm8k")] == 93.0
    assert ("llama-3-1-70b", "gsm8k") not in scores
    assert scores[("llama-3-1-70b", "mmlu")] == 86.0
    assert {s.benchmark for s in e.scores} == {"HumanEval", "GSM8K", "MMLU"}


NAME_VALUE_BLOCKS = """Llama 3 8B vs Gemma 2 9B vs Qwen 2 7B
Side by side on shared benchmarks
PIQA
Llama 3 8B leads by +1.2
PIQA · physical commonsense questions, a sibling of HellaSwag.
Llama 3 8B
82.1
Gemma 2 9B
80.9
Qwen 2 7B
79.4
WinoGrande
Gemma 2 9B leads by +0.6
WinoGrande · pronoun resolution in sentence pairs, harder than the older WSC set and MMLU-style quizzes.
Llama 3 8B
77.3
Gemma 2 9B
77.9
Qwen 2 7B
72.2
"""


def test_name_value_blocks_take_the_benchmark_their_heading_names() -> None:
    """Model / value lines under a benchmark heading: any benchmark name is a heading (not a fixed list),
    and a description line naming another benchmark in passing does not take the block over."""
    scores = _scores(parse_text(NAME_VALUE_BLOCKS))
    assert scores[("llama-3-8b", "piqa")] == 82.1
    assert scores[("qwen-2-7b", "piqa")] == 79.4
    assert scores[("gemma-2-9b", "winogrande")] == 77.9
    assert scores[("qwen-2-7b", "winogrande")] == 72.2
    assert {b for _, b in scores} == {"piqa", "winogrande"}


SCORE_COLUMN_UNDER_HEADING = """Frontier models on the hardest exams

2. GPQA Diamond
| Model | Score | Std. error | Gap to leader |
|---|---|---|---|
| Grok 3 (think) | 84.6% ±2.4 | — | 0 |
| Gemini 2.5 Pro (March '25) | 83.0% ±2.5 | — | -1.6 |
| DeepSeek-R1 | 71.5% ±3.1 | — | -13.1 |

| Rank | Model | Chatbot Arena Elo | Votes |
|---|---|---|---|
| 1 | GPT-4.5 | 1,398 | 12,405 |
| 2 | Gemini 2.5 Pro | 1,439 | 9,877 |
"""


def test_model_rows_under_a_generic_score_column_take_the_headings_benchmark() -> None:
    """`| Model | Score |` under a heading naming one benchmark: each row's score is on that benchmark (error
    bar and gloss dropped, the name read without its gloss); a column named by a rating reads integers,
    and rank, vote and gap columns give nothing."""
    e = parse_text(SCORE_COLUMN_UNDER_HEADING)
    scores = _scores(e)
    assert scores[("grok-3", "gpqa-diamond")] == 84.6
    assert scores[("gemini-2-5-pro", "gpqa-diamond")] == 83.0
    assert scores[("deepseek-r1", "gpqa-diamond")] == 71.5
    assert scores[("gpt-4-5", "chatbot-arena")] == 1398
    assert scores[("gemini-2-5-pro", "chatbot-arena")] == 1439
    assert len(scores) == 5


WRAPPED_PIPE_ROWS = """How the two open models compare

Task | Qwen 2.5 72B | Llama 3.3 70B |
GSM8K
MATH IFEval |
91.5%
83.1% 84.1% |
95.1%
77.0% 92.1% |
Both models are free to download.
"""


def test_pipe_cells_running_on_over_several_lines_give_one_score_per_value() -> None:
    """The header names the models; below it each pipe-closed cell holds one value per benchmark, and the
    first cell holds the benchmark names: the i-th value of a model's cell is its i-th benchmark's."""
    scores = _scores(parse_text(WRAPPED_PIPE_ROWS))
    assert scores[("qwen-2-5-72b", "gsm8k")] == 91.5
    assert scores[("qwen-2-5-72b", "math")] == 83.1
    assert scores[("qwen-2-5-72b", "ifeval")] == 84.1
    assert scores[("llama-3-3-70b", "gsm8k")] == 95.1
    assert scores[("llama-3-3-70b", "ifeval")] == 92.1
    assert len(scores) == 6


ROW_WITH_SCORES_AND_PRICES = "Gemini 1.5 Pro 81.2% SWE-Bench: 44.1% Supported 2M tokens Input $1.25/Output $5"


def test_a_line_a_table_reader_took_still_gives_its_spec_values_to_the_sentence_reader() -> None:
    """A table reader that took a row's scores marks the line read (`Document.consumed`); the sentence
    reader then reads only the row's spec values (context, input and output prices), never its scores."""
    doc = Document.from_text(ROW_WITH_SCORES_AND_PRICES)
    builder = ExtractionBuilder(default_resolver())
    builder.model("Gemini 1.5 Pro")
    doc.consumed.add(ROW_WITH_SCORES_AND_PRICES)
    read_prose(doc, builder)
    extraction = builder.build(Source(id="row", title="row"))
    assert not extraction.scores
    claims = {(c.model_id, c.attribute): c.value for c in extraction.claims}
    assert claims[("gemini-1-5-pro", "input_price")].startswith("$1.25")
    assert claims[("gemini-1-5-pro", "output_price")].startswith("$5")
