"""The site shell: home page, language switch, health check and static help pages."""
