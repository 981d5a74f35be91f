"""The base model every schema derives from."""

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Strict about unknown fields, so a typo in a request is a 422 that names the field."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
