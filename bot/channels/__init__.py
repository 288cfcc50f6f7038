"""Messaging channels served by the web gateway (WeChat Official Account, WeCom)."""
