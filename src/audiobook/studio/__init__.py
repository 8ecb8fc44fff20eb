"""The studio: a local web app to check, fix, hear and publish an episode (`audiobook studio`).

Optional extra `audiobook[studio]` (Starlette, uvicorn, python-multipart). Modules: `stages` (the only
place that calls the project's stages), `store` (articles confined to the workdir), `jobs` (renders in
child processes with progress), `auth` (the access token), `app` (routes), `server` (the command).
"""
