package tidewatch.priming;

import java.io.StringReader;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/** The JDK's StAX parser, which the SDK reads SNS and EC2 (Query protocol) answers with, run on a document in memory. */
final class XmlAnswerParsing {
    private XmlAnswerParsing() {}

    /** Whether the SDK reads the answer to this request type with StAX: the Query-protocol services the functions call. */
    static boolean readsXml(Class<?> requestType) {
        String name = requestType.getName();
        return name.startsWith("software.amazon.awssdk.services.sns.") || name.startsWith("software.amazon.awssdk.services.ec2.");
    }

    static void parseSample() {
        try {
            XMLEventReader reader = XMLInputFactory.newInstance().createXMLEventReader(new StringReader(
                    "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>1</MessageId>"
                            + "</PublishResult></PublishResponse>"));
            while (reader.hasNext()) {
                reader.nextEvent();
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }
}
