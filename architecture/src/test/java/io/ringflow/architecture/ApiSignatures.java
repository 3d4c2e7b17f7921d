package io.ringflow.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every type a user can see in a class's signature: its supertypes and type-parameter bounds,
 * and the types in the signatures of the fields, constructors and methods a user can call,
 * generics and throws clauses included. A method body is not a signature: what a method calls
 * is its own business.
 */
final class ApiSignatures {

    /** One type named in a signature, and where. */
    record Exposure(String where, JavaClass type) {
    }

    private ApiSignatures() {
    }

    /** Whether a user can name {@code type}: public, and so is every class it is nested in. */
    static boolean reachable(JavaClass type) {
        if (!type.getModifiers().contains(JavaModifier.PUBLIC) || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        return type.getEnclosingClass().map(ApiSignatures::reachable).orElse(true);
    }

    /** The types {@code type}'s signature names. */
    static List<Exposure> of(JavaClass type) {
        List<Exposure> exposures = new ArrayList<>();
        type.getSuperclass().ifPresent(superclass -> add(exposures, "extends", superclass));
        for (JavaType implemented : type.getInterfaces()) {
            add(exposures, "implements", implemented);
        }
        addBounds(exposures, "type parameter", type.getTypeParameters());
        addMembers(exposures, type, type);
        // Public members a hidden superclass declares are callable on the public subclass.
        for (JavaClass superclass : type.getAllRawSuperclasses()) {
            if (!reachable(superclass)) {
                addMembers(exposures, type, superclass);
            }
        }
        return exposures;
    }

    private static void addMembers(List<Exposure> exposures, JavaClass type, JavaClass declaring) {
        for (JavaField field : declaring.getFields()) {
            if (visible(type, field)) {
                add(exposures, field.getFullName(), field.getType());
            }
        }
        for (JavaCodeUnit code : declaring.getCodeUnits()) {
            if (!visible(type, code)) {
                continue;
            }
            String where = code.getFullName();
            add(exposures, where, code.getReturnType());
            for (JavaType parameter : code.getParameterTypes()) {
                add(exposures, where, parameter);
            }
            addBounds(exposures, where, code.getTypeParameters());
            for (JavaClass thrown : code.getThrowsClause().getTypes()) {
                exposures.add(new Exposure(where + " throws", thrown));
            }
        }
    }

    /**
     * Public, or protected in a class a user may extend. Synthetic and bridge members are the
     * compiler's: a bridge repeats, erased, a signature checked already.
     */
    private static boolean visible(JavaClass type, JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        if (modifiers.contains(JavaModifier.SYNTHETIC) || modifiers.contains(JavaModifier.BRIDGE)) {
            return false;
        }
        return modifiers.contains(JavaModifier.PUBLIC)
                || (modifiers.contains(JavaModifier.PROTECTED) && !type.getModifiers().contains(JavaModifier.FINAL));
    }

    private static void addBounds(List<Exposure> exposures, String where,
            List<? extends JavaTypeVariable<?>> typeParameters) {
        for (JavaTypeVariable<?> parameter : typeParameters) {
            for (JavaType bound : parameter.getUpperBounds()) {
                add(exposures, where + " <" + parameter.getName() + ">", bound);
            }
        }
    }

    private static void add(List<Exposure> exposures, String where, JavaType named) {
        for (JavaClass raw : named.getAllInvolvedRawTypes()) {
            exposures.add(new Exposure(where, raw));
        }
    }
}
