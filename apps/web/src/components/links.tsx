/**
 * Mantine's Anchor, Button and NavLink as type-checked router links (TanStack's createLink):
 * `to` and `params` are checked against the route tree, and preloading works.
 */
import { forwardRef, type ComponentPropsWithoutRef } from 'react';
import { Anchor, Button, NavLink, type AnchorProps, type ButtonProps, type NavLinkProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';

type AnchorAttrs<P> = P & Omit<ComponentPropsWithoutRef<'a'>, keyof P | 'color' | 'style'>;

const AnchorBase = forwardRef<HTMLAnchorElement, AnchorAttrs<AnchorProps>>((props, ref) => <Anchor component="a" ref={ref} {...props} />);
const ButtonBase = forwardRef<HTMLAnchorElement, AnchorAttrs<ButtonProps>>((props, ref) => <Button component="a" ref={ref} {...props} />);
const NavLinkBase = forwardRef<HTMLAnchorElement, AnchorAttrs<NavLinkProps>>((props, ref) => <NavLink component="a" ref={ref} {...props} />);

const CreatedAnchor = createLink(AnchorBase);
const CreatedButton = createLink(ButtonBase);
const CreatedNavLink = createLink(NavLinkBase);

export const AnchorLink: LinkComponent<typeof AnchorBase> = (props) => <CreatedAnchor preload="intent" {...props} />;
export const ButtonLink: LinkComponent<typeof ButtonBase> = (props) => <CreatedButton preload="intent" {...props} />;
export const NavLinkLink: LinkComponent<typeof NavLinkBase> = (props) => <CreatedNavLink preload="intent" {...props} />;
