"""The cross-script section of docs/matching.md (rendered by ncb.matching.docs)."""

DOC = """## Names written in another script (`ncb/matching/xscript`)

When one name is in Latin letters and the other is written in Cyrillic, Arabic script, Hebrew,
Chinese characters, katakana (or hiragana) or Hangul, the name feature comes from a comparison
that knows how foreign names are written there. It is used only then: two Latin names, two names
in the same script, or a script it has no readings for (Devanagari, Thai, Greek, ...) keep the
comparison above. A record with a Latin alias as well keeps the better of the two.

1. **Script** (`scripts.py`): the script most letters of the name are written in.
2. **Reading** (`readings.py`): each word is read in Latin letters, keeping what the script says
   about sounds: Chinese characters in Mandarin with every reading of a heteronym (pypinyin;
   each character read in another than its first reading multiplies by 0.7), Hangul syllables decomposed
   into jamo and read in Revised Romanisation with loanword finals (`hangul.py`), katakana in
   Hepburn with the loanword kana, long vowels, small kana and the doubling small tsu
   (`kana.py`: ドナルド "donarudo"), Cyrillic, Arabic and Hebrew letter by letter (anyascii,
   with alef and Hebrew geresh letters fixed and the attached Arabic article optional).
3. **Learned costs** (`costs.py`, `learn.py`): for each script, the costs of substituting,
   dropping and inserting letters between the reading and the Latin spelling are fitted by hard
   EM on `translit_tokens_dev.tsv` (name tokens from Wikidata person-name labels, CC0): the
   katakana "u" of "ru" and the Hangul "eu" are cheap to drop, Hebrew "v" stands for "o" or
   "u", Chinese "l" for "r", Arabic "y" for "i" or "e". A logistic model per script, fitted on
   the same tokens against other tokens of the table, turns the alignment cost, the cost of
   sharing nothing, the dearest single edit and the lengths into the probability that the
   Latin token spells the word (`tokenmodel.py`). One token in five (by a hash of its Latin
   spelling) is held out of fitting; the benchmark builds its held-out pairs from those.
   `make learn-translit` refits and writes `ncb/matching/data/translit_costs.json` (with its
   source and licence).
4. **Alignment of names** (`compare.py`): words are matched to Latin tokens in any order
   (family name first in Chinese, Korean, Japanese and many lists), an unspaced Chinese or
   Korean name is cut between syllables (김정은 = Kim Jong Un), Latin tokens may be joined
   when the other side is one word. The worst element decides: one contradicting element
   sinks the pair (김정은 against Kim Jong Il), each element found on one side only multiplies
   by 0.6. A one-syllable Chinese or Korean word has its probability raised to the power 30
   (the syllable inventories are small: "yang" and "yong" are different names).
   A Chinese transcription writes an n between vowels twice, as the final of one syllable and
   the initial of the next (唐纳德 "tang-na-de" for Donald, 肯尼迪 for Kennedy): against a Latin
   token with an n between vowels the reading without that final ("tanade") is tried too, at
   0.9 of its probability.
   Candidate retrieval for a query in Chinese characters or Hangul (`cjk_keys.py`): the
   consonants of every run of syllables in coarse classes (b/p/v/f, g/k/q/c/x/j/s/z, d/t, m/n;
   vowels, h/w/y and l/r left out, as Chinese transcription drops them), plus a finer key that
   keeps l/r; every Latin token in the index has the same two keys (唐纳德 "tang-na-de" and
   Donald both "DMD").
5. **Decision point** (`calibration.py`): each script has its own point
   (`thresholds.yaml`, `cross_script`); the score is mapped piecewise linearly so that the point
   lands on the mode's threshold and one threshold decides every pair.

The explanation says how the name was read: `katakana ドナルド read as donarudo ~ donald 1.00;
katakana トランプ read as toranpu ~ trump 0.99` (the figure is the element's probability).
"""
