package io.dormant.engine;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The engine: Camunda, the REST API and the services that the workflows call. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DormantApplication {
}
