"""REST handlers of the model registry (issue 7). Each verb parses, calls ``workspace.registry``
off the event loop and writes the answer. (The predict route builds on core/serving.)"""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from mlworkbench.schemas.registry import (
    DeleteModelQuery,
    DescribeAliasMove,
    DescribeModel,
    DescribeModelVersion,
    ExportedModel,
    ExportModelRequest,
    ListModels,
    ModelAliasInfo,
    PublishModelRequest,
    SetAliasGatesRequest,
    SetAliasRequest,
    UpdateModelCardRequest,
)
from mlworkbench.core.registry.lookup import version_number
from mlworkbench.server.base import Endpoint
from mlworkbench.server.labeling_handlers import LabelingHandler


class RegistryHandler(LabelingHandler):
    @property
    def actor(self) -> str:
        """Who asks, for the alias history: the logged-in user, named as for labels (the local
        user when Jupyter's token names nobody), so the panel, notebooks and the CLI agree."""
        return self.annotator


class ModelsHandler(RegistryHandler):
    endpoints = {
        "get": Endpoint("Every published model, most recently published first",
                        response=ListModels),
        "post": Endpoint(
            "Publish a training run's model as the next version of a name (409: the run is "
            "running or failed)",
            request=PublishModelRequest, response=DescribeModelVersion, status=201),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_model(await self.run_blocking(self.workbench.registry.list_models))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.read_model(PublishModelRequest)
        self.write_model(await self.run_blocking(
            self.workbench.registry.publish, request.run_id, request.name,
            artifact=request.artifact, card=request.card, description=request.description),
            status=201)


class ModelHandler(RegistryHandler):
    endpoints = {
        "get": Endpoint("A model: versions, aliases and the history of alias moves",
                        response=DescribeModel),
        "delete": Endpoint("Delete a model and every version (409 while aliases point at "
                           "them, unless force)", query_model=DeleteModelQuery, status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.write_model(await self.run_blocking(self.workbench.registry.describe_model, name))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        query = self.read_query(DeleteModelQuery)
        await self.run_blocking(self.workbench.registry.delete_model, name, force=query.force)
        self.write_no_content()


class ModelVersionHandler(RegistryHandler):
    endpoints = {
        "get": Endpoint("A version: signature, lineage, metrics and model card",
                        response=DescribeModelVersion),
        "delete": Endpoint("Delete a version (409 while an alias points at it)", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str, version: str) -> None:
        registry = self.workbench.registry
        self.write_model(await self.run_blocking(registry.describe_version, name, version))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str, version: str) -> None:
        await self.run_blocking(self.workbench.registry.delete_version, name, version)
        self.write_no_content()


class ModelCardHandler(RegistryHandler):
    endpoints = {
        "put": Endpoint("Replace a version's model card (markdown)",
                        request=UpdateModelCardRequest, response=DescribeModelVersion),
    }

    @tornado.web.authenticated
    @authorized
    async def put(self, name: str, version: str) -> None:
        request = self.read_model(UpdateModelCardRequest)
        registry = self.workbench.registry
        self.write_model(await self.run_blocking(registry.update_card, name, version,
                                                 request.card))


class ExportModelHandler(RegistryHandler):
    endpoints = {
        "post": Endpoint(
            "Write a version as an MLflow model directory under the Jupyter root (400: a path "
            "outside it; 409: the folder exists and is not empty, or the file's hash changed)",
            request=ExportModelRequest, response=ExportedModel, status=201),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str, version: str) -> None:
        request = self.read_model(ExportModelRequest)
        ref = f"{name}@{version_number(version)}"
        self.write_model(await self.run_blocking(
            self.workbench.registry.export_mlflow, ref, request.path,
            overwrite=request.overwrite, within_root=True), status=201)


class ModelAliasHandler(RegistryHandler):
    endpoints = {
        "put": Endpoint(
            "Point an alias at a version once its gates pass (409 naming the failing check; "
            "the refusal is kept in the history)",
            request=SetAliasRequest, response=DescribeAliasMove),
        "delete": Endpoint("Remove an alias and its gates (the removal is kept in the alias "
                           "history; 404 naming the aliases)", status=204),
    }

    @tornado.web.authenticated
    @authorized
    async def put(self, name: str, alias: str) -> None:
        request = self.read_model(SetAliasRequest)
        self.write_model(await self.run_blocking(
            self.workbench.registry.set_alias, name, alias, request.version,
            gates=request.gates, actor=self.actor))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str, alias: str) -> None:
        await self.run_blocking(self.workbench.registry.remove_alias, name, alias,
                                actor=self.actor)
        self.write_no_content()


class ModelAliasGatesHandler(RegistryHandler):
    endpoints = {
        "put": Endpoint("Set the gates (SQL checks on metrics) every move of an alias must pass",
                        request=SetAliasGatesRequest, response=ModelAliasInfo),
    }

    @tornado.web.authenticated
    @authorized
    async def put(self, name: str, alias: str) -> None:
        request = self.read_model(SetAliasGatesRequest)
        self.write_model(await self.run_blocking(self.workbench.registry.set_gates, name, alias,
                                                 request.gates))


class RollbackAliasHandler(RegistryHandler):
    endpoints = {
        "post": Endpoint("Move an alias back to its previous version (no gates apply)",
                         response=DescribeAliasMove),
    }

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str, alias: str) -> None:
        self.write_model(await self.run_blocking(self.workbench.registry.rollback, name, alias,
                                                 actor=self.actor))
