"""Batch stage: an archive of articles rendered as one incremental, resumable run (local workers or Ray).

`archive` finds the articles and names their episodes, `ledger` remembers what was rendered from which
inputs, `task` renders one episode anywhere (a local worker or a Ray node) and hands its files back,
`runner` schedules the tasks, `driver` ties them together and writes the episodes into the site.
"""
