"""Retention review (DPA 2018 s.39, INTERPOL RPD Art. 49-51): when held records fall due for
review (schedule), the reviewer's queue (queue), and keep-with-reason or erase (decide, erasure).
"""
