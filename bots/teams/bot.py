"""The TeamsActivityHandler: saves conversation references, then routes to chat or the extension."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ActivityTypes
from botbuilder.schema.teams import MessagingExtensionAction, MessagingExtensionActionResponse
from sqlalchemy.exc import SQLAlchemyError

from bots.teams import chat, extension
from bots.teams.activity import user_key
from bots.teams.replies import TeamsServices, as_dict

log = logging.getLogger(__name__)
# Activities a person caused: each one refreshes where that person can be reached.
_FROM_PEOPLE = (ActivityTypes.message, ActivityTypes.invoke, ActivityTypes.conversation_update)


class NudgeTeamsBot(TeamsActivityHandler):
    """Thin: every decision is in chat.py, extension.py and the engine."""

    def __init__(self, services: TeamsServices) -> None:
        self.services = services

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Remember where the person can be reached, then let botbuilder dispatch."""
        if turn_context.activity.type in _FROM_PEOPLE:
            await self._remember(turn_context)
        await super().on_turn(turn_context)

    async def _remember(self, turn: TurnContext) -> None:
        """Save where this person can be reached; a database hiccup must not cost the reply."""
        activity = as_dict(turn.activity)
        key = user_key(activity)
        if not key or not activity.get("serviceUrl") or not activity.get("conversation"):
            return
        reference = TurnContext.get_conversation_reference(turn.activity).serialize()
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        try:
            await self.services.references.save(key, reference, tenant)
        except SQLAlchemyError as exc:
            log.warning(
                "teams: could not save the conversation reference",
                extra={"error": type(exc).__name__},
            )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A chat message: check, help, hours, or feedback from a card button."""
        await chat.on_message(self.services, turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        """Installed or members changed: a welcome card in a new 1:1 chat."""
        # Not the SDK's dispatch: it asks the connector for every added member's profile.
        await chat.on_conversation_update(self.services, turn_context)

    async def on_teams_messaging_extension_fetch_task(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """The "Check draft" dialog opens: answer with the form."""
        return extension.fetch_task(self.services, as_dict(turn_context.activity))

    async def on_teams_messaging_extension_submit_action(
        self, turn_context: TurnContext, action: MessagingExtensionAction
    ) -> MessagingExtensionActionResponse:
        """A button in the dialog: check, insert, edit again or not applicable."""
        return await extension.submit_action(
            self.services, as_dict(turn_context.activity), action.data
        )
