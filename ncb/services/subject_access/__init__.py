"""Subject access (DPA 2018 s.45): a request worked as a case with its statutory clock
(requests), what is held on the requester through identities and the matcher, and the export
pack with what may not be disclosed withheld on a legal ground (pack).
"""
