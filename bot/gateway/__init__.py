"""Web gateway of the Credit Cultivation Assistant (aiohttp). See app.create_app."""
