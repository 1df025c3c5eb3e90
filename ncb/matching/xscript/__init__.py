"""Cross-script name comparison: a Latin name against one in Cyrillic, Arabic script, Hebrew,
Chinese, katakana or Hangul, with transliteration costs learned per script (learn.py)."""

from ncb.matching.xscript.compare import CrossScript, compare_cross_script, compare_to_tokens
from ncb.matching.xscript.scripts import cross_script, script_of

__all__ = ["CrossScript", "compare_cross_script", "compare_to_tokens", "cross_script", "script_of"]
