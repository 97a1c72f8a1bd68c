"""The two registers of the log, contacts and messages: what differs between them
(``registers``), registration numbers (``numbers``), the hash chain (``chain``), resolving
what a clerk types (``resolve``), text cleaning (``text``), writing (``write``) and reading
(``read``).
"""
