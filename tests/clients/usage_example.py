"""Typed usage of every operation of every generated client, sync and async, as a user writes it.

Checked with ``mypy --strict`` by test_readme_and_types.py; never run at import (no network I/O).
Both ``with Client(...) as client`` and a client bound first are used: the context manager
must keep the generated client's type.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from generated import algolia, clarityq, elevenlabs, mistral, moveworks
from generated.algolia import AlgoliaAgentStudioClient, AsyncAlgoliaAgentStudioClient
from generated.clarityq import AsyncClarityQClient, ClarityQClient
from generated.elevenlabs import AsyncElevenLabsClient, ElevenLabsClient
from generated.mistral import AsyncMistralClient, MistralClient
from generated.moveworks import AsyncMoveworksClient, MoveworksClient


def elevenlabs_sync() -> None:
    with ElevenLabsClient(api_key="sk-...", timeout=10.0, max_retries=1) as client:
        result: Any = client.conversational_ai.conversations.feedback.create("conv_123", feedback="like")
        client.conversational_ai.conversations.feedback.create(
            "conv_123", feedback=elevenlabs.models.UserFeedbackScore.dislike
        )
        client.conversational_ai.conversations.feedback.create("conv_123", feedback=None)
        client.conversational_ai.conversations.feedback.create(
            "conv_123", body=elevenlabs.models.ConversationFeedbackRequestModel(feedback=None)
        )
        raw: elevenlabs.APIResponse[Any] = client.conversational_ai.conversations.feedback.with_raw_response.create(
            "conv_123", feedback="like", extra_headers={"X-Trace": "1"}, timeout=httpx.Timeout(5.0)
        )
        status: int = raw.status_code
        print(result, status, raw.headers.get("x-request-id"))


async def elevenlabs_async() -> None:
    async with AsyncElevenLabsClient() as client:
        result: Any = await client.conversational_ai.conversations.feedback.create("conv_123", feedback="like")
        print(result)


def moveworks_sync() -> None:
    with MoveworksClient(access_token="eyJ...", assistant_name="helpdesk") as client:
        reply: moveworks.models.SubmitFeedbackResponse = client.messages.submit_feedback(
            "conv_1", "resp_1", "msg_1", callback_id="cb", additional_feedback="wrong", max_retries=0
        )
        status: moveworks.models.SubmitFeedbackResponseStatus = reply.status
        client.messages.submit_feedback(
            "conv_1", "resp_1", "msg_1", body=moveworks.models.SubmitFeedbackRequest(callback_id="cb")
        )
        try:
            client.messages.submit_feedback("conv_1", "resp_1", "msg_1", callback_id="cb")
        except moveworks.BadRequestError as exc:
            error: object = exc.error
            code: int = exc.status_code
            print(error, code, exc.headers, exc.body)
        except moveworks.RateLimitError as exc:
            print(exc.request_id)
        print(status)


async def moveworks_async() -> None:
    async with AsyncMoveworksClient() as client:
        reply = await client.messages.submit_feedback("c", "r", "m", callback_id="cb")
        raw = await client.messages.with_raw_response.submit_feedback("c", "r", "m", callback_id="cb")
        parsed: moveworks.models.SubmitFeedbackResponse = raw.parse()
        print(reply.status, parsed.status)


def algolia_sync() -> None:
    with AlgoliaAgentStudioClient(application_id="MYAPP", api_key="key") as client:
        created: algolia.models.FeedbackResponse = client.feedback.create_feedback(
            agent_id="agent-1",
            message_id="msg-1",
            vote=algolia.models.VoteEnum.upvote,
            tags=["helpful"],
            notes="great answer",
        )
        client.feedback.create_feedback(agent_id="agent-1", message_id="msg-1", vote=0)
        client.feedback.create_feedback(
            body=algolia.models.FeedbackCreationRequest(
                agent_id="a", message_id="m", vote=algolia.models.VoteEnum.upvote
            )
        )
        feedback_id: str = created.id
        vote: int = created.vote
        try:
            client.feedback.create_feedback(agent_id="a", message_id="m", vote=1)
        except algolia.UnprocessableEntityError as exc:
            print(exc.error)
        except algolia.APIConnectionError:
            pass
        print(feedback_id, vote)


async def algolia_async() -> None:
    client = AsyncAlgoliaAgentStudioClient()
    async with client:
        created = await client.feedback.create_feedback(agent_id="a", message_id="m", vote=1)
        raw = await client.feedback.with_raw_response.create_feedback(agent_id="a", message_id="m", vote=1)
        print(created.created_at, raw.status_code)


def clarityq_sync() -> None:
    with ClarityQClient(api_key="cq-...", base_url="https://api.clarityq.ai") as client:
        stored: clarityq.models.FeedbackResponse = client.feedback.submit_conversation_feedback(
            "5f0c7c8e-1111-4222-8333-944445555666",
            "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
            rating=clarityq.models.FeedbackRating.positive,
            comment="spot on",
        )
        client.feedback.submit_conversation_feedback("p", "c", rating=None)
        client.feedback.submit_conversation_feedback("p", "c", rating="NEGATIVE")
        client.feedback.submit_conversation_feedback("p", "c", body=clarityq.models.FeedbackRequest(comment="hi"))
        try:
            client.feedback.submit_conversation_feedback("p", "c", comment="later")
        except clarityq.ConflictError as exc:
            print(exc.status_code)
        except clarityq.RequestValidationError as exc:
            print(exc.message)
        print(stored.conversation_id, stored.updated_at.isoformat(), stored.rating)


async def clarityq_async() -> None:
    client = AsyncClarityQClient()
    async with client:
        stored = await client.feedback.submit_conversation_feedback("p", "c", rating="POSITIVE")
        print(stored.comment)


async def all_async() -> None:
    await asyncio.gather(elevenlabs_async(), moveworks_async(), algolia_async(), clarityq_async())


def main() -> None:
    elevenlabs_sync()
    moveworks_sync()
    algolia_sync()
    clarityq_sync()
    asyncio.run(all_async())


if __name__ == "__main__":
    main()


def moveworks_stream_sync() -> None:
    with MoveworksClient(access_token="eyJ...", assistant_name="helpdesk") as client:
        events = client.responses.create_response_stream("conv_1", input=moveworks.models.UserInput(text="hi"))
        with events:
            for event in events:
                kind: moveworks.models.StreamEventType = event.event
                print(kind, event.data)


async def moveworks_stream_async() -> None:
    async with AsyncMoveworksClient(access_token="eyJ...", assistant_name="helpdesk") as client:
        events = await client.responses.create_response_stream("conv_1", input=moveworks.models.UserInput(text="hi"))
        async with events:
            async for event in events:
                data: moveworks.models.ResponseStreamData = event.data
                print(data)


def mistral_files_sync(path: Path) -> None:
    with MistralClient(api_key="...", strict_response_validation=True) as client:
        document: mistral.models.Document = client.beta_libraries_documents.libraries_documents_upload_v1(
            "lib", file=path
        )
        client.beta_libraries_documents.libraries_documents_upload_v1("lib", file=("notes.txt", b"hi", "text/plain"))
        content: bytes = client.files.files_api_routes_download_file(str(document.id))
        with client.files.with_streaming_response.files_api_routes_download_file(str(document.id)) as response:
            written: int = response.write_to_file(path.with_suffix(".copy"))
        print(len(content), written)


async def mistral_files_async() -> None:
    client = AsyncMistralClient(api_key="...", max_response_bytes=1 << 20)
    async with client, client.files.with_streaming_response.files_api_routes_download_file("f") as response:
        async for chunk in response.iter_bytes():
            print(len(chunk))
