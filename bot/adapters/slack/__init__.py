"""calcbot on Slack (slack-bolt, async): Socket Mode or HTTP mode, translation only.

``app`` wires bolt's listeners to the core's router; ``inbound`` turns payloads into Messages;
``blocks`` and ``mrkdwn`` render a Reply in Slack's idiom; ``outbound`` sends it (and delivers
pushes); ``manifest`` derives the Slack app from the command declarations; ``runner`` starts it.
"""
