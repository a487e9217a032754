"""HTTP adapter: parse, call one service or selector, serialise."""

from ninja import Router

router = Router()
