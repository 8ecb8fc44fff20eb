"""Publish stage: the podcast feed for a folder of episodes and each episode's read-along page."""

from audiobook.publish.feed import ShowInfo, write_feed
from audiobook.publish.readalong import render_readalong

__all__ = ["ShowInfo", "render_readalong", "write_feed"]
