"""Multi-language programming tasks: a catalog of workspaces to complete or repair.

`catalog` turns `tasks/<id>/` folders into suite cases; `answers` turns a
model's reply (whole files or a unified diff) into the files to test.
"""
