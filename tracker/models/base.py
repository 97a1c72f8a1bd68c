"""Declarative base, the constraint naming convention and shared column shapes."""


import datetime as dt
from typing import Annotated

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Every constraint gets a predictable name, so later (batch) migrations can drop or alter it
# on SQLite, which otherwise leaves constraints nameless.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


intpk = Annotated[int, mapped_column(primary_key=True)]
str_code = Annotated[str, mapped_column(String(20))]
str_name = Annotated[str, mapped_column(String(200))]
text_opt = Annotated[str | None, mapped_column(String(2000))]
# Record time is stored as naive UTC on both engines so that comparisons are plain and equal.
recorded_at_col = Annotated[dt.datetime, mapped_column()]
recorded_by_col = Annotated[str, mapped_column(String(100))]
