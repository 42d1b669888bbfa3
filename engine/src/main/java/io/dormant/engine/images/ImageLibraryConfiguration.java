package io.dormant.engine.images;

import io.dormant.adapters.inventory.PackageInventoryReader;
import io.dormant.library.images.ImageLibrary;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** The same image library the command line opens, on the engine's database and home. */
@Configuration(proxyBeanMethods = false)
class ImageLibraryConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOn("flywayInitializer")
    ImageLibrary imageLibrary(Path dormantHome, DataSource dataSource) {
        return ImageLibrary.open(dormantHome, dataSource, new PackageInventoryReader()).withDiskImages(GuestfsEnvironment.diskImages());
    }
}
