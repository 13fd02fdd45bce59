"""Obstacles (vướng mắc) as work items: who must act, what is asked, by when, and what happened since.

- ``statuses``: the five statuses with Vietnamese labels, which ones close an obstacle.
- ``work``: pure computations on plain obstacle rows (ageing, overdue deadlines, filters).
- ``service``: the write and read side on a database session (open, update, close with a
  row lock and a version, list, history, the agency table).
"""
