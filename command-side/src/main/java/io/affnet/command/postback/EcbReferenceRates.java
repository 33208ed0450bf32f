package io.affnet.command.postback;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the ECB's euro foreign exchange reference rates in their {@code eurofxref} XML format: one
 * {@code Cube time=...} with a {@code Cube currency=... rate=...} per currency, each rate in units
 * of the currency per euro. Every currency the file lists is taken.
 */
public final class EcbReferenceRates {

    public static final String BASE = "EUR";
    private static final String NAMESPACE = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref";

    private EcbReferenceRates() {
    }

    public static RateSet parse(InputStream xml, String source) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // No DTDs, no external entities: the file may come from a URL.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            NodeList cubes = builder.parse(xml).getElementsByTagNameNS(NAMESPACE, "Cube");
            LocalDate asOf = null;
            Map<String, BigDecimal> rates = new HashMap<>();
            for (int i = 0; i < cubes.getLength(); i++) {
                Element cube = (Element) cubes.item(i);
                if (cube.hasAttribute("time") && asOf == null) {
                    asOf = LocalDate.parse(cube.getAttribute("time"));
                }
                if (cube.hasAttribute("currency")) {
                    BigDecimal rate = new BigDecimal(cube.getAttribute("rate"));
                    if (rate.signum() <= 0) {
                        throw new IOException("non-positive rate for " + cube.getAttribute("currency"));
                    }
                    rates.put(cube.getAttribute("currency"), rate);
                }
            }
            if (asOf == null || rates.isEmpty()) {
                throw new IOException("not an ECB eurofxref file: no dated Cube with rates");
            }
            return new RateSet(source, asOf, BASE, rates);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read ECB reference rates: " + e.getMessage(), e);
        }
    }
}
