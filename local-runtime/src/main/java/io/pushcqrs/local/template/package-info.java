/**
 * The synthesized CloudFormation template: parsing ({@link io.pushcqrs.local.template.Template}), the resource types
 * the local stack accepts ({@link io.pushcqrs.local.template.ResourceTypes}), and evaluation:
 * {@link io.pushcqrs.local.template.Intrinsics} (intrinsic functions, the one entry point),
 * {@link io.pushcqrs.local.template.Parameters} (pseudo parameters and parameter defaults),
 * {@link io.pushcqrs.local.template.Conditions} and {@link io.pushcqrs.local.template.PhysicalIds} (what
 * {@code Ref} and {@code Fn::GetAtt} answer for a resource). What is built from it is in
 * {@link io.pushcqrs.local.resources}.
 */
package io.pushcqrs.local.template;
