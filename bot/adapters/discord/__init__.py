"""calcbot on Discord (discord.py 2.x): generated slash commands, embeds, persistent buttons, pushes."""
