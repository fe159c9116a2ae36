package io.pushcqrs.query.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pushcqrs.model.Notification;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A data reader that records every request and answers what the test tells it to. */
public final class FakeQueryResults implements QueryResults {
    public final List<QueryRequest> requests = new ArrayList<>();
    private Function<QueryRequest, QueryResponse> answer = q -> QueryResponse.page(List.of(), null);

    public FakeQueryResults answering(QueryResponse response) {
        answer = q -> response;
        return this;
    }

    public FakeQueryResults failing(RuntimeException e) {
        answer = q -> {
            throw e;
        };
        return this;
    }

    @Override
    public QueryResponse fetch(QueryRequest request) {
        requests.add(request);
        return answer.apply(request);
    }

    public QueryRequest only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one downstream request, got " + requests);
        }
        return requests.get(0);
    }

    /** 2026-11-26T10:00:00.123Z. */
    public static final long CREATED_AT = 1_795_687_200_123L;

    /** A FAILED view with every time field set. */
    public static NotificationView failedView() {
        return new NotificationView(Notification.builder()
                .transactionId("tx-1").createdAt(CREATED_AT).userId("u1").marketingId("m1")
                .notificationTitle("Hi").notificationBody("Body").platform(Platform.IOS).deviceToken("tok")
                .payload(JsonNodeFactory.instance.objectNode().put("deep_link", "app://x"))
                .status(Status.FAILED).errorMsg("BadDeviceToken").snsId("sns-1").retryCnt(2)
                .sendTs(1_795_687_205_000L).failedTs(1_795_687_260_000L)
                .build(), 3L);
    }

    /** A SENT view with only created_at as time field and no source_version (written by another tool). */
    public static NotificationView sentView() {
        return new NotificationView(Notification.builder()
                .transactionId("tx-2").createdAt(1_795_687_200_000L).userId("u1")
                .platform(Platform.ANDROID).deviceToken("tok2").status(Status.SENT)
                .build(), null);
    }
}
