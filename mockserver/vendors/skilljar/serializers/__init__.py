"""Skilljar records -> the official response shapes (field names from Skilljar's v1 OpenAPI), one
module per group of resources as in handlers/ and rules/. Handlers pass these functions to
resources.respond_list; an x-mock block names one as ``serializer: skilljar.serializers.<group>:<name>``."""
