package io.edgegateway.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering rules of docs/architecture.md, checked on the main code of every module. A broken rule fails the
 * build with the classes and the dependency that break it.
 */
@AnalyzeClasses(packages = "io.edgegateway", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule everyClassBelongsToAModule = classes().should(new ArchCondition<>("belong to a module "
            + "listed in Modules (drivers, simulators, appliance, launcher)") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            if (Modules.of(c.getPackageName()) == null) {
                events.add(SimpleConditionEvent.violated(c, c.getName() + " is in package " + c.getPackageName()
                        + ", which no module owns: add it to Modules and to docs/architecture.md"));
            }
        }
    });

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.edgegateway.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule driversKnowNoGatewayNoHelidon = noClasses().that().resideInAnyPackage(Modules.DRIVERS)
            .should().dependOnClassesThat().resideInAnyPackage(Modules.union(Modules.SIMULATORS, Modules.APPLIANCE,
                    Modules.LAUNCHER, new String[] {"io.helidon.."}))
            .because("drivers are protocol code only: no HTTP, no gateway, no simulator");

    @ArchTest
    static final ArchRule simulatorsUseTheDriversOnly = noClasses().that().resideInAnyPackage(Modules.SIMULATORS)
            .should().dependOnClassesThat().resideInAnyPackage(Modules.union(Modules.APPLIANCE, Modules.LAUNCHER))
            .because("the simulators are a library the launcher and the tests embed");

    @ArchTest
    static final ArchRule theApplianceImportsNoSimulator = noClasses().that().resideInAnyPackage(Modules.APPLIANCE)
            .should().dependOnClassesThat().resideInAnyPackage(Modules.union(Modules.SIMULATORS, Modules.LAUNCHER))
            .because("the appliance must build and run without the simulators and the command line");

    @ArchTest
    static final ArchRule onlyTheModbusTransportImportsJ2mod = noClasses()
            .that().resideOutsideOfPackages("io.edgegateway.modbus.transport..")
            .and().doNotHaveFullyQualifiedName("io.edgegateway.bench.ModbusBenchmark")
            .should().dependOnClassesThat().resideInAPackage("com.ghgande.j2mod..")
            .because("j2mod sits behind one transport package (the benchmark's raw-j2mod baseline aside)");

    @ArchTest
    static final ArchRule onlyTheBrokerLinkImportsHiveMq = noClasses()
            .that().resideOutsideOfPackages("io.edgegateway.uplink.mqtt..")
            .should().dependOnClassesThat().resideInAnyPackage("com.hivemq..", "io.reactivex..", "io.netty..")
            .because("the MQTT client sits behind one package, as j2mod does");

    @ArchTest
    static final ArchRule sparkplugIsACodec = noClasses()
            .that().resideInAPackage("io.edgegateway.sparkplug..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgegateway.uplink..", "io.edgegateway.hub..",
                    "java.net..", "com.hivemq..")
            .because("Sparkplug payloads and topics are values and bytes, tested without a broker");

    @ArchTest
    static final ArchRule codecsImportNoTransport = noClasses()
            .that().resideInAnyPackage("io.edgegateway.modbus.codec..", "io.edgegateway.modbus.plan..",
                    "io.edgegateway.dlms.axdr..", "io.edgegateway.dlms.apdu..", "io.edgegateway.point..")
            .should().dependOnClassesThat().resideInAnyPackage("io.edgegateway.modbus.transport..",
                    "io.edgegateway.dlms.transport..", "io.edgegateway.dlms.hdlc..", "io.edgegateway.dlms.wrapper..",
                    "io.edgegateway.link..", "io.edgegateway.serial..", "java.net..", "com.fazecast..")
            .because("codecs turn bytes into values and back, and are tested without a port");

    @ArchTest
    static final ArchRule onlyTheLauncherHasMains = classes().that().resideOutsideOfPackages(Modules.LAUNCHER)
            .should(new ArchCondition<>("declare no main method") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    for (JavaMethod m : c.getMethods()) {
                        if (m.getName().equals("main") && m.getModifiers().contains(JavaModifier.STATIC)) {
                            events.add(SimpleConditionEvent.violated(c, c.getName() + " declares main"));
                        }
                    }
                }
            })
            .because("programs are assembled in gateway/launcher; the libraries have no entry points");

    /** Rules over an empty import pass without looking: every module must have been analysed. */
    @ArchTest
    static void everyModuleIsAnalysed(JavaClasses all) {
        for (String[] module : new String[][] {Modules.DRIVERS, Modules.SIMULATORS, Modules.APPLIANCE,
                Modules.LAUNCHER}) {
            if (all.stream().noneMatch(c -> Modules.of(c.getPackageName()) == module)) {
                throw new AssertionError("no class of the module with " + module[0] + " was analysed");
            }
        }
    }
}
