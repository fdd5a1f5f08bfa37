"""An independent client: Python grpcio, with no generated code.

It discovers the API through server reflection (v1alpha, which is what grpcio-reflection
speaks), checks grpc.health.v1, and calls MatchPost, MatchPosts, GetNarrative and
SearchNarratives, including an error. Usage: python3 client.py HOST:PORT
"""

import sys

import grpc
from google.protobuf import message_factory
from google.protobuf.descriptor_pool import DescriptorPool
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)

SERVICE = "counterclaim.v1.Counterclaim"


def main(addr):
    channel = grpc.insecure_channel(addr)
    grpc.channel_ready_future(channel).result(timeout=10)

    health = health_pb2_grpc.HealthStub(channel)
    status = health.Check(health_pb2.HealthCheckRequest(service=SERVICE)).status
    assert status == health_pb2.HealthCheckResponse.SERVING, status

    pool = DescriptorPool(ProtoReflectionDescriptorDatabase(channel))
    service = pool.FindServiceByName(SERVICE)
    methods = {m.name for m in service.methods}
    assert {"MatchPost", "MatchPosts", "StreamMatchPosts", "ListNarratives",
            "GetNarrative", "SearchNarratives"} <= methods, methods

    def unary(name):
        method = service.FindMethodByName(name)
        request = message_factory.GetMessageClass(method.input_type)
        response = message_factory.GetMessageClass(method.output_type)
        call = channel.unary_unary(
            f"/{SERVICE}/{name}",
            request_serializer=request.SerializeToString,
            response_deserializer=response.FromString,
        )
        return request, call

    MatchPostRequest, match_post = unary("MatchPost")
    reply = match_post(MatchPostRequest(
        post={"id": "py-1", "text": "Russia and China will counterfeit millions of mail-in b4ll0ts"},
        options={"include_statements": True},
    ))
    assert reply.post_id == "py-1"
    assert reply.kb_version.startswith("kb-"), reply.kb_version
    best = reply.matches[0]
    assert best.narrative_id == "foreign-counterfeit-mail-ballots", reply
    assert 0.5 <= best.score <= 1.0
    assert best.statements and best.statements[0].quote

    try:
        match_post(MatchPostRequest(post={"id": "x", "text": "a" * 20000}))
        raise AssertionError("an over-long post was accepted")
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.code()
        assert "post.text" in e.details(), e.details()

    MatchPostsRequest, match_posts = unary("MatchPosts")
    batch = match_posts(MatchPostsRequest(posts=[
        {"id": "a", "text": "mail-in voting = massive fraud"},
        {"id": "b", "text": "great pasta recipe tonight"},
    ]))
    assert [r.post_id for r in batch.results] == ["a", "b"]

    GetNarrativeRequest, get_narrative = unary("GetNarrative")
    narrative = get_narrative(GetNarrativeRequest(id="delayed-count-means-rigged")).narrative
    assert narrative.claims and narrative.statements
    try:
        get_narrative(GetNarrativeRequest(id="no-such-narrative"))
        raise AssertionError("an unknown narrative was found")
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND, e.code()

    SearchRequest, search = unary("SearchNarratives")
    hits = search(SearchRequest(query="fake ballots from China")).hits
    assert hits[0].narrative.id == "foreign-counterfeit-mail-ballots", hits
    print("python grpcio client: all calls behaved")


if __name__ == "__main__":
    main(sys.argv[1])
