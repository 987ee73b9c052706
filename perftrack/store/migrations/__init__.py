"""Alembic migrations, shipped inside the package (a package so that wheels include env.py)."""
