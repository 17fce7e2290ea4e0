package io.llmgw.infra;

import java.util.List;
import software.amazon.awscdk.services.cloudwatch.IWidget;

/** What the container stack needs from the platform it runs the image on. */
interface ContainerService {
    String platformName();

    /** The HTTPS base URL clients use. */
    String url();

    /** Where the container's stdout (the request log lines) goes. */
    String logGroupName();

    /** The platform's own dashboard panels. */
    List<IWidget> platformWidgets();
}
