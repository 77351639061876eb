import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import java.nio.charset.StandardCharsets;

// Prints, for each key argument, the partition the Java producer picks for it:
// the reference the murmur2 smoke test compares kafkajs against.
public class JavaPartitioner {
  public static void main(String[] args) {
    int partitions = Integer.parseInt(args[0]);
    for (int i = 1; i < args.length; i++) {
      byte[] key = args[i].getBytes(StandardCharsets.UTF_8);
      System.out.println(args[i] + "\t" + BuiltInPartitioner.partitionForKey(key, partitions));
    }
  }
}
