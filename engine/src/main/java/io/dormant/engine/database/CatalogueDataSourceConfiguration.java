package io.dormant.engine.database;

import com.zaxxer.hikari.HikariDataSource;
import io.dormant.engine.DormantProperties;
import io.dormant.library.DormantHome;
import io.dormant.library.db.CatalogueDatabase;
import io.dormant.library.db.DatabaseSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One database for Camunda and the catalogue: the external PostgreSQL when {@code dormant.db.url}
 * is set, otherwise the embedded one of {@code DORMANT_HOME}, started on demand.
 */
@Configuration(proxyBeanMethods = false)
class CatalogueDataSourceConfiguration {

    /** The home of this engine's store and embedded database. */
    @Bean
    @ConditionalOnMissingBean(name = "dormantHome")
    Path dormantHome(DormantProperties properties) {
        return properties.home() != null ? properties.home() : DormantHome.resolve(System.getenv());
    }

    @Bean
    @ConditionalOnMissingBean
    DatabaseSettings databaseSettings(DormantProperties properties, Path dormantHome) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        DormantProperties.Db db = properties.db();
        if (db != null && db.url() != null && !db.url().isBlank()) {
            environment.put(DatabaseSettings.URL_VARIABLE, db.url());
            environment.put(DatabaseSettings.USER_VARIABLE, db.user() == null ? "" : db.user());
            environment.put(DatabaseSettings.PASSWORD_VARIABLE, db.password() == null ? "" : db.password());
        } else {
            environment.remove(DatabaseSettings.URL_VARIABLE);
        }
        return CatalogueDatabase.resolve(dormantHome, environment);
    }

    @Bean
    @ConditionalOnMissingBean
    DataSource dataSource(DatabaseSettings settings) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("dormant");
        dataSource.setJdbcUrl(settings.url());
        dataSource.setUsername(settings.user());
        dataSource.setPassword(settings.password());
        dataSource.setMaximumPoolSize(16);
        return dataSource;
    }
}
