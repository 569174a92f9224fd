package dev.longdpo.testbed.pretrain;

import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * A process that pretrains a base through its store, as the demo does, printing the listener's
 * info lines: {@link PretrainJvmTest} kills it with {@code kill -9} to see its pretraining JVM go.
 * Arguments: {@code key=value} settings.
 */
public final class PretrainingParentMain {

  private PretrainingParentMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> values = new HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      values.put(kv[0], kv[1]);
    }
    BaseModelStore.of(ConfigFactory.parseMap(values).withFallback(ConfigFactory.load()).resolve())
        .ensure(new PretrainListener() {
          @Override
          public void info(String line) {
            System.out.println(line);
            System.out.flush();
          }
        });
  }
}
