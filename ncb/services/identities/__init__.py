"""Identities: the appearances of one real person or object, and what stands on them.

resolve (joins by identifier and matcher), judgements (decisions between identities), combine
(merge, split, undo), review (a hit decision carried to identities), hooks (every new entity
joins an identity when its transaction commits), person (the person/object page).
"""
