"""Exports of a parsed plan for people: the terminal outline and the 台账 (tracking ledger) xlsx.

Each exporter is a module of its own (`outline`, `ledger`) so that importing one never pulls in the
heavy libraries of another (openpyxl is imported only when a ledger is written).
"""
