"""Deployment: nginx template, local multi-replica launcher, Docker, Compose and Kubernetes files."""
