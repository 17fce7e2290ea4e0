package io.llmgw.infra;

import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The stack's alarms: breaching at or above a threshold in one 5-minute period, quiet when there is
 * no data (no traffic is not a failure), notifying the SNS topic of context {@code alarmTopicArn}
 * when one is given.
 */
final class Alarms extends Construct {
    private final ITopic topic;

    Alarms(Construct scope, String id, String topicArn) {
        super(scope, id);
        this.topic = topicArn == null ? null : Topic.fromTopicArn(this, "Topic", topicArn);
    }

    Alarm add(String id, String description, IMetric metric, double threshold) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        if (topic != null) {
            alarm.addAlarmAction(new SnsAction(topic));
        }
        return alarm;
    }
}
