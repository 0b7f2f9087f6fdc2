package be.absencebridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class AbsenceBridgeApplication {
    public static void main(String[] args) {
        SpringApplication.run(AbsenceBridgeApplication.class, args);
    }
}
