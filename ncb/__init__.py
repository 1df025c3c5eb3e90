"""NCB Gateway: one hub for the international cases of a national central bureau."""

__version__ = "0.1.0"
